import Foundation
import Storage
import Testing

@Suite("Server groups and SNI lists on SQLite and PostgreSQL")
struct ServerGroupRepositoryTests {
    static func group(_ id: String, loadBalancer: String = "lb-1") -> ServerGroupRecord {
        ServerGroupRecord(
            id: id, regionID: "cn-hangzhou", loadBalancerID: loadBalancer, name: id, description: "", protocol: "http",
            algorithm: "wrr", healthMonitorID: nil, healthMonitor: nil, settings: "{}", createdAt: 1, updatedAt: 1)
    }

    static func member(_ id: String, group: String = "g1", port: Int) -> ServerGroupMemberRecord {
        ServerGroupMemberRecord(
            id: id, groupID: group, name: "", address: "10.0.0.1", port: port, weight: 1, settings: "{}", createdAt: 1, updatedAt: 1)
    }

    @Test("Groups and members: unique address and port per group, member limit, cascade with the load balancer", arguments: Engine.available)
    func groups(engine: Engine) async throws {
        try await engine.withStore { store in
            try await RepositoryTests.seedRegions(store)
            try await store.loadBalancers.insert(LoadBalancerRecord(
                id: "lb-1", regionID: "cn-hangzhou", name: "lb", address: "127.0.0.1", status: "active", settings: "{}", createdAt: 1))
            try await store.serverGroups.insert(Self.group("g1"))
            try await store.serverGroups.insertMember(Self.member("m1", port: 8001), limit: 2)
            try await store.serverGroups.insertMember(Self.member("m2", port: 8002), limit: 2)
            await #expect(throws: StorageError.self) { try await store.serverGroups.insertMember(Self.member("m3", port: 8003), limit: 2) }
            await #expect(throws: StorageError.self) { try await store.serverGroups.insertMember(Self.member("m4", port: 8001), limit: 10) }
            #expect(try await store.serverGroups.members(of: ["g1"]).map(\.port).sorted() == [8001, 8002])

            var group = try #require(try await store.serverGroups.get("g1"))
            group.healthMonitorID = "hm"
            group.healthMonitor = #"{"id":"hm"}"#
            try await store.serverGroups.update(group)
            #expect(try await store.serverGroups.get("g1") == group)
            // An update writes NULLs too (a removed health monitor stays removed).
            group.healthMonitorID = nil
            group.healthMonitor = nil
            try await store.serverGroups.update(group)
            #expect(try await store.serverGroups.get("g1")?.healthMonitorID == nil)
            #expect(try await store.serverGroups.list(regionID: "cn-beijing").isEmpty)

            // SNI lists keep their order and count as references to the certificate.
            try await store.loadBalancers.insertListener(
                ListenerRecord(
                    loadBalancerID: "lb-1", port: 443, protocol: "https", status: "stopped", serverCertificateID: "c0",
                    caCertificateID: nil, tlsPolicy: nil, settings: "{}", createdAt: 1),
                limit: 50, sniCertificateIDs: ["c2", "c1"])
            #expect(try await store.loadBalancers.sniCertificates(loadBalancerID: "lb-1", port: 443).map(\.certificateID) == ["c2", "c1"])
            #expect(try await store.loadBalancers.references(toCertificate: "c1") == ["lb-1:443"])
            var listener = try #require(try await store.loadBalancers.listener("lb-1", port: 443))
            listener.caCertificateID = "ca"
            try await store.loadBalancers.updateListener(listener)
            listener.caCertificateID = nil
            try await store.loadBalancers.updateListener(listener)
            #expect(try await store.loadBalancers.listener("lb-1", port: 443)?.caCertificateID == nil)
            try await store.loadBalancers.updateListener(listener, sniCertificateIDs: ["c1"])
            #expect(try await store.loadBalancers.references(toCertificate: "c2").isEmpty)
            try await store.loadBalancers.updateListener(listener)
            #expect(try await store.loadBalancers.sniCertificates().map(\.certificateID) == ["c1"])

            try await store.loadBalancers.delete("lb-1")
            #expect(try await store.serverGroups.get("g1") == nil)
            #expect(try await store.serverGroups.members(of: nil).isEmpty)
            #expect(try await store.loadBalancers.sniCertificates().isEmpty)
        }
    }
}
