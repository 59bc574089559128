import Foundation
import GatehouseTestSupport
import Storage
import Testing

@Suite("Tags, quotas and the certificate store on SQLite and PostgreSQL")
struct TagAndQuotaTests {
    @Test("A quota is counted in the insert's own transaction, per region and kind", arguments: Engine.available)
    func quota(engine: Engine) async throws {
        try await engine.withStore { store in
            try await RepositoryTests.seedRegions(store)
            try await store.certificates.insert(RepositoryTests.certificate(id: "c1"), quota: 2)
            try await store.certificates.insert(RepositoryTests.certificate(id: "c2"), quota: 2)
            await #expect(throws: StorageError.limitExceeded("server certificates in cn-hangzhou")) {
                try await store.certificates.insert(RepositoryTests.certificate(id: "c3"), quota: 2)
            }
            try await store.certificates.insert(RepositoryTests.certificate(id: "c4", kind: "ca"), quota: 2)
            try await store.certificates.insert(RepositoryTests.certificate(id: "c5", region: "cn-beijing"), quota: 2)
            #expect(try await store.certificates.get("c3") == nil)
        }
    }

    @Test("Tags: set with the certificate, add, overwrite, limit, remove, and go with the certificate", arguments: Engine.available)
    func tags(engine: Engine) async throws {
        try await engine.withStore { store in
            try await RepositoryTests.seedRegions(store)
            try await store.certificates.insert(RepositoryTests.certificate(id: "c1"), tags: [("env", "prod")])
            try await store.certificates.insert(RepositoryTests.certificate(id: "c2"))
            try await store.tags.set([("team", "edge"), ("env", "dev")], on: ["c1", "c2"], type: "certificate",
                                     regionID: "cn-hangzhou", limit: 3)
            let rows = try await store.tags.list(type: "certificate", regionID: "cn-hangzhou")
            #expect(rows.map { "\($0.resourceID):\($0.key)=\($0.value)" } == ["c1:env=dev", "c1:team=edge", "c2:env=dev", "c2:team=edge"])
            await #expect(throws: StorageError.self) {
                try await store.tags.set([("a", "1"), ("b", "2")], on: ["c2"], type: "certificate", regionID: "cn-hangzhou", limit: 3)
            }
            #expect(try await store.tags.list(type: "certificate", regionID: "cn-hangzhou", resourceIDs: ["c2"]).count == 2)
            try await store.tags.remove(keys: ["team"], from: ["c1"], type: "certificate")
            #expect(try await store.tags.list(type: "certificate", regionID: "cn-hangzhou", resourceIDs: ["c1"]).map(\.key) == ["env"])
            try await store.tags.remove(keys: nil, from: ["c2"], type: "certificate")
            #expect(try await store.tags.list(type: "certificate", regionID: "cn-hangzhou", resourceIDs: ["c2"]).isEmpty)
            #expect(try await store.certificates.delete("c1"))
            #expect(try await store.tags.list(type: "certificate", regionID: "cn-hangzhou").isEmpty)
        }
    }

    @Test("Certificate store entries keep their key sealed and readable", arguments: Engine.available)
    func storeCertificates(engine: Engine) async throws {
        try await engine.withStore { store in
            let key = TestPKI.shared.pem("a.key")
            try await store.storeCertificates.insert(StoreCertificateRecord(
                id: "7750001", name: "shop", regionID: "cn-hangzhou", certificatePEM: "pem", privateKeyPEM: key, createdAt: 1))
            let entry = try #require(try await store.storeCertificates.get("7750001"))
            #expect(entry.privateKeyPEM == key)
            #expect(!"\(entry)".contains("PRIVATE"))
            #expect(try await store.storeCertificates.all().map(\.name) == ["shop"])
        }
    }
}
