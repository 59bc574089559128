import ControlPlane
import Crypto
import Foundation
import GatehouseTestSupport
import Logging
import Storage
import Testing

/// The ELB model over a real (SQLite) store: server groups with per-member ports and health monitors, SNI
/// certificate lists, and what the snapshot builder hands the data plane.
@Suite("Server groups, SNI lists and the snapshot")
struct ServerGroupTests {
    static let region = "cn-hangzhou"

    static func withStore(_ body: @Sendable (Store) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-cp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var logger = Logger(label: "control-plane-tests")
        logger.logLevel = .warning
        try await Store.withStore(
            .sqlite(path: directory.appendingPathComponent("gatehouse.sqlite").path), masterKey: SymmetricKey(size: .bits256), logger: logger
        ) { store in
            try await RegionService(store: store).configure([RegionDefinition(id: Self.region, localName: "Hangzhou")])
            try await body(store)
        }
    }

    static func certificate(_ store: Store, chain: String, key: String, domain: String?) async throws -> Certificate {
        var draft = CertificateDraft(regionID: Self.region, kind: .server)
        draft.certificatePEM = TestPKI.shared.pem(chain)
        draft.privateKeyPEM = TestPKI.shared.pem(key)
        draft.domain = domain
        return try await CertificateService(store: store).create(draft)
    }

    static func snapshot(_ store: Store) async throws -> ConfigurationSnapshot {
        try await SnapshotBuilder(store: store, logger: Logger(label: "snapshot")).build()
    }

    @Test("A listener's pool sends traffic to each member's own port, with the pool's scheduler and monitor")
    func poolSnapshot() async throws {
        try await Self.withStore { store in
            let balancer = try await LoadBalancerService(store: store).create(regionID: Self.region, name: "lb", settings: .init(), tags: [])
            let listeners = ListenerService(store: store, runtime: nil)
            let groups = ServerGroupService(store: store)
            _ = try await listeners.create(
                loadBalancerID: balancer.id, regionID: Self.region, port: 8080, protocol: .http, settings: .init(), certificates: .init())
            let group = try await groups.create(
                regionID: Self.region, loadBalancerID: balancer.id, name: "web", description: "", protocol: .http, scheduler: .wlc,
                listenerPort: 8080)
            #expect(group.listenerIDs == ["\(balancer.id)_http_8080"])
            let first = try await groups.addMember(groupID: group.id, regionID: Self.region, name: "a", address: "10.0.0.1", port: 8001, weight: nil, settings: .init())
            _ = try await groups.addMember(groupID: group.id, regionID: Self.region, name: "b", address: "10.0.0.1", port: 8002, weight: 7, settings: .init())
            await #expect(throws: ControlPlaneError.conflict("a member with address 10.0.0.1 and port 8001 already exists in pool \(group.id)")) {
                _ = try await groups.addMember(groupID: group.id, regionID: Self.region, name: "", address: "10.0.0.1", port: 8001, weight: nil, settings: .init())
            }
            await #expect(throws: ControlPlaneError.self) {
                _ = try await groups.addMember(groupID: group.id, regionID: Self.region, name: "", address: "not-an-ip", port: 1, weight: nil, settings: .init())
            }
            var monitor = HealthMonitor(id: "hm-1", name: "", kind: .http, createdAt: Date())
            monitor.urlPath = "/health"
            monitor.expectedCodes = "200-204,301"
            monitor.maxRetries = 2
            monitor.maxRetriesDown = 4
            _ = try await groups.createMonitor(groupID: group.id, regionID: Self.region, monitor)
            await #expect(throws: ControlPlaneError.self) { _ = try await groups.createMonitor(groupID: group.id, regionID: Self.region, monitor) }
            monitor.delay = 0
            await #expect(throws: ControlPlaneError.invalidParameter(name: "delay", reason: "1 to 50 seconds")) {
                _ = try await groups.updateMonitor("hm-1", regionID: Self.region) { $0.delay = 0 }
            }

            // Stopped listeners are not served; once started, the snapshot carries the pool.
            #expect(try await Self.snapshot(store).listeners.isEmpty)
            try await listeners.start(loadBalancerID: balancer.id, regionID: Self.region, port: 8080)
            let listener = try #require(try await Self.snapshot(store).listeners.first)
            let backends = listener.backends.sorted { $0.port < $1.port }
            #expect(backends.map(\.port) == [8001, 8002])
            #expect(backends.map(\.weight) == [1, 7])
            #expect(backends.first?.serverID == first.id)
            #expect(listener.scheduler == .wlc)
            let check = try #require(listener.healthCheck)
            #expect((check.uri, check.healthyThreshold, check.unhealthyThreshold) == ("/health", 2, 4))
            #expect(check.accepts(status: 204) && check.accepts(status: 301) && !check.accepts(status: 205) && !check.accepts(status: 500))

            await #expect(throws: ControlPlaneError.conflict("pool \(group.id) is used by listener \(balancer.id)_http_8080")) {
                try await groups.delete(group.id, regionID: Self.region)
            }
            try await listeners.delete(loadBalancerID: balancer.id, regionID: Self.region, port: 8080)
            try await groups.delete(group.id, regionID: Self.region)
            #expect(try await store.serverGroups.members(of: [group.id]).isEmpty)
        }
    }

    @Test("A TCP listener cannot use an HTTP pool, nor a pool of another load balancer")
    func poolProtocol() async throws {
        try await Self.withStore { store in
            let balancers = LoadBalancerService(store: store)
            let one = try await balancers.create(regionID: Self.region, name: "one", settings: .init(), tags: [])
            let two = try await balancers.create(regionID: Self.region, name: "two", settings: .init(), tags: [])
            let group = try await ServerGroupService(store: store).create(
                regionID: Self.region, loadBalancerID: one.id, name: "", description: "", protocol: .http, scheduler: .wrr, listenerPort: nil)
            var settings = ListenerSettings()
            settings.vServerGroupID = group.id
            let listeners = ListenerService(store: store, runtime: nil)
            await #expect(throws: ControlPlaneError.self) {
                _ = try await listeners.create(loadBalancerID: one.id, regionID: Self.region, port: 9000, protocol: .tcp, settings: settings, certificates: .init())
            }
            await #expect(throws: ControlPlaneError.self) {
                _ = try await listeners.create(loadBalancerID: two.id, regionID: Self.region, port: 9000, protocol: .http, settings: settings, certificates: .init())
            }
            #expect(try await listeners.list(regionID: Self.region, loadBalancerIDs: []).isEmpty)
        }
    }

    @Test("SNI lists: certificates need a domain, a domain repeats only across key types, and bound certificates stay")
    func sniLists() async throws {
        try await Self.withStore { store in
            let balancer = try await LoadBalancerService(store: store).create(regionID: Self.region, name: "lb", settings: .init(), tags: [])
            let main = try await Self.certificate(store, chain: "a.chain.pem", key: "a.key", domain: nil)
            let wild = try await Self.certificate(store, chain: "b.chain.pem", key: "b.key", domain: "b.test,*.b.test")
            let rsaA = try await Self.certificate(store, chain: "a.chain.pem", key: "a.key", domain: "a.test")
            let rsaA2 = try await Self.certificate(store, chain: "a.chain.pem", key: "a.key", domain: "www.a.test,a.test")
            let listeners = ListenerService(store: store, runtime: nil)
            func create(_ sni: [String]) async throws {
                var settings = ListenerSettings()
                settings.sniMatch = .longestSuffix
                _ = try await listeners.create(
                    loadBalancerID: balancer.id, regionID: Self.region, port: 443, protocol: .https, settings: settings,
                    certificates: .init(serverCertificateID: main.id, sniCertificateIDs: sni))
            }
            await #expect(throws: ControlPlaneError.invalidParameter(name: "sni_container_refs", reason: "certificate \(main.id) has no domain")) {
                try await create([main.id])
            }
            await #expect(throws: ControlPlaneError.invalidParameter(
                name: "sni_container_refs", reason: "domain a.test is repeated (one ECC and one RSA certificate per domain at most)")) {
                try await create([rsaA.id, rsaA2.id])
            }
            await #expect(throws: ControlPlaneError.invalidParameter(name: "sni_container_refs", reason: "a certificate is listed twice")) {
                try await create([wild.id, wild.id])
            }
            try await create([wild.id, rsaA.id])
            try await listeners.start(loadBalancerID: balancer.id, regionID: Self.region, port: 443)
            #expect(try await listeners.sniCertificateIDs(loadBalancerID: balancer.id, port: 443) == [wild.id, rsaA.id])

            let tls = try #require(try await Self.snapshot(store).listeners.first?.tls)
            #expect(tls.sniMatch == .longestSuffix)
            #expect(tls.sniCertificates.map(\.domain) == ["b.test", "*.b.test", "a.test"])
            #expect(tls.sniCertificates.map(\.certificate.id) == [wild.id, wild.id, rsaA.id])

            await #expect(throws: ControlPlaneError.certificateInUse(wild.id)) {
                try await CertificateService(store: store).delete(wild.id, kind: .server, regionID: Self.region)
            }
            // Clearing the list frees the certificates.
            try await listeners.update(loadBalancerID: balancer.id, regionID: Self.region, port: 443, protocol: .https) { _, certificates in
                certificates.sniCertificateIDs = []
            }
            try await CertificateService(store: store).delete(wild.id, kind: .server, regionID: Self.region)
            #expect(try await Self.snapshot(store).listeners.first?.tls?.sniCertificates.isEmpty == true)
        }
    }
}
