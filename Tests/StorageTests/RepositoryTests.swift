import Crypto
import Foundation
import GatehouseTestSupport
import Storage
import Testing

@Suite("Repositories on SQLite and PostgreSQL")
struct RepositoryTests {
    static func certificate(id: String, region: String = "cn-hangzhou", kind: String = "server", name: String = "cert")
        -> CertificateRecord
    {
        CertificateRecord(
            id: id, regionID: region, kind: kind, name: name, certificatePEM: "-----BEGIN CERTIFICATE-----\n...",
            commonName: "a.test", subjectAlternativeNames: ["a.test", "www.a.test"], issuer: "CN=Issuer",
            serialNumber: "01ab", fingerprintSHA1: "aa:bb", fingerprintSHA256: "cc:dd", keyAlgorithm: "RSA", keyBits: 2048,
            notBefore: 1_700_000_000, notAfter: 1_800_000_000, createdAt: 1_700_000_100, updatedAt: 1_700_000_100)
    }

    static func seedRegions(_ store: Store) async throws {
        for (id, name) in [("cn-hangzhou", "China (Hangzhou)"), ("cn-beijing", "China (Beijing)")] {
            try await store.regions.upsert(
                RegionRecord(id: id, localName: name, projectID: String(repeating: id == "cn-hangzhou" ? "a" : "b", count: 32),
                             createdAt: 1))
        }
    }

    @Test("Certificates: insert, read, filter, count, rename, delete", arguments: Engine.available)
    func certificates(engine: Engine) async throws {
        try await engine.withStore { store in
            try await Self.seedRegions(store)
            let key = TestPKI.shared.pem("a.key")
            try await store.certificates.insert(Self.certificate(id: "c1"), keys: PrivateKeyMaterial(privateKeyPEM: key))
            try await store.certificates.insert(Self.certificate(id: "c2", kind: "ca", name: "ca"))
            try await store.certificates.insert(Self.certificate(id: "c3", region: "cn-beijing"))

            let c1 = try #require(try await store.certificates.get("c1"))
            #expect(c1 == Self.certificate(id: "c1"))
            #expect(try await store.certificates.get("c1", regionID: "cn-beijing") == nil)
            #expect(try await store.certificates.list(CertificateQuery(regionID: "cn-hangzhou")).map(\.id) == ["c1", "c2"])
            #expect(try await store.certificates.list(CertificateQuery(kinds: ["ca"])).map(\.id) == ["c2"])
            #expect(try await store.certificates.list(CertificateQuery(ids: ["c3", "nope"])).map(\.id) == ["c3"])
            #expect(try await store.certificates.count(regionID: "cn-hangzhou", kinds: ["server"]) == 1)

            #expect(try await store.certificates.privateKeys(of: "c1")?.privateKeyPEM == key)
            #expect(try await store.certificates.privateKeys(of: "c2")?.privateKeyPEM == nil)

            #expect(try await store.certificates.rename("c1", to: "renamed", at: 5))
            #expect(try await store.certificates.get("c1")?.name == "renamed")
            #expect(try await !store.certificates.rename("nope", to: "x", at: 5))

            #expect(try await store.certificates.delete("c1"))
            #expect(try await !store.certificates.delete("c1"))
            #expect(try await store.certificates.get("c1") == nil)
        }
    }

    @Test("A duplicate id is a unique violation and changes nothing", arguments: Engine.available)
    func duplicate(engine: Engine) async throws {
        try await engine.withStore { store in
            try await Self.seedRegions(store)
            try await store.certificates.insert(Self.certificate(id: "c1"))
            let revision = try await store.revision()
            let error = await #expect(throws: StorageError.self) {
                try await store.certificates.insert(Self.certificate(id: "c1", name: "other"))
            }
            guard case .uniqueViolation = error else { Issue.record("expected uniqueViolation, got \(String(describing: error))"); return }
            #expect(try await store.certificates.get("c1")?.name == "cert")
            #expect(try await store.revision() == revision)
        }
    }

    @Test("A certificate in an unknown region is refused", arguments: Engine.available)
    func foreignKey(engine: Engine) async throws {
        try await engine.withStore { store in
            let error = await #expect(throws: StorageError.self) {
                try await store.certificates.insert(Self.certificate(id: "c1", region: "nowhere"))
            }
            guard case .foreignKeyViolation = error else { Issue.record("expected foreignKeyViolation, got \(String(describing: error))"); return }
        }
    }

    @Test("Access keys: create, replace the secret, list, delete", arguments: Engine.available)
    func accessKeys(engine: Engine) async throws {
        try await engine.withStore { store in
            try await store.accessKeys.upsert(AccessKeyRecord(id: "AK1", secret: "s1", note: "first", createdAt: 1))
            try await store.accessKeys.upsert(AccessKeyRecord(id: "AK2", secret: "s2", note: "", createdAt: 2))
            #expect(try await store.accessKeys.get("AK1")?.secret == "s1")
            try await store.accessKeys.upsert(AccessKeyRecord(id: "AK1", secret: "s1b", note: "rotated", createdAt: 3))
            #expect(try await store.accessKeys.get("AK1")?.secret == "s1b")
            #expect(try await store.accessKeys.all().map(\.id) == ["AK1", "AK2"])
            #expect(try await store.accessKeys.delete("AK2"))
            #expect(try await store.accessKeys.get("AK2") == nil)
            #expect("\(try #require(try await store.accessKeys.get("AK1")))".contains("<redacted>"))
        }
    }

    @Test("Regions: upsert and list", arguments: Engine.available)
    func regions(engine: Engine) async throws {
        try await engine.withStore { store in
            try await Self.seedRegions(store)
            try await store.regions.upsert(RegionRecord(id: "cn-beijing", localName: "Beijing", projectID: String(repeating: "c", count: 32), createdAt: 9))
            let regions = try await store.regions.all()
            #expect(regions.map(\.id) == ["cn-beijing", "cn-hangzhou"])
            #expect(regions[0].localName == "Beijing")
            #expect(regions[0].createdAt == 1)
        }
    }

    @Test("Every committed write bumps the configuration revision", arguments: Engine.available)
    func revision(engine: Engine) async throws {
        try await engine.withStore { store in
            let start = try await store.revision()
            try await Self.seedRegions(store)
            #expect(try await store.revision() == start + 2)
            try await store.certificates.insert(Self.certificate(id: "c1"))
            #expect(try await store.revision() == start + 3)
        }
    }

    @Test("Secrets sealed under one master key do not open under another", arguments: Engine.available)
    func wrongMasterKey(engine: Engine) async throws {
        let box = SecretBox(masterKey: SymmetricKey(size: .bits256))
        let sealed = try box.seal("secret", context: "a")
        #expect(throws: StorageError.decryptionFailed) { try SecretBox(masterKey: SymmetricKey(size: .bits256)).open(sealed, context: "a") }
        #expect(throws: StorageError.decryptionFailed) { try box.open(sealed, context: "b") }
        #expect(try box.open(sealed, context: "a") == "secret")
    }
}
