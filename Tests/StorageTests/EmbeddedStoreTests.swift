import Crypto
import Foundation
import GatehouseTestSupport
import Storage
import Testing

@Suite("The embedded SQLite store on disk")
struct EmbeddedStoreTests {
    @Test("A private key read back from the database file with sqlite3 is not plaintext")
    func keysAreSealedOnDisk() async throws {
        let directory = Engine.temporaryDirectory()
        let key = TestPKI.shared.pem("a.key")
        try await Engine.sqlite.withStore(directory: directory) { store in
            try await RepositoryTests.seedRegions(store)
            try await store.certificates.insert(RepositoryTests.certificate(id: "c1"), keys: PrivateKeyMaterial(privateKeyPEM: key))
            try await store.accessKeys.upsert(AccessKeyRecord(id: "AK1", secret: "very-secret-value", note: "", createdAt: 1))
        }
        let file = directory.appendingPathComponent("gatehouse.sqlite").path
        let sealed = try Shell.run("/usr/bin/env", ["sqlite3", file, "SELECT private_key_sealed FROM certificates WHERE id = 'c1'"])
        #expect(sealed.hasPrefix("v1:"))
        #expect(!sealed.contains("PRIVATE KEY"))
        let keyBody = key.split(separator: "\n")[1]
        #expect(!sealed.contains(keyBody))
        let dump = try Shell.run("/usr/bin/env", ["sqlite3", file, ".dump"])
        #expect(!dump.contains("very-secret-value"))
        #expect(!dump.contains(keyBody))
    }

    @Test("Reopening a store applies no migration twice and keeps the data")
    func reopen() async throws {
        let directory = Engine.temporaryDirectory()
        let masterKey = SymmetricKey(size: .bits256)
        try await Engine.sqlite.withStore(masterKey: masterKey, directory: directory) { store async throws in
            try await store.accessKeys.upsert(AccessKeyRecord(id: "AK1", secret: "s", note: "", createdAt: 1))
        }
        try await Engine.sqlite.withStore(masterKey: masterKey, directory: directory) { store async throws in
            #expect(try await store.accessKeys.get("AK1")?.secret == "s")
        }
        let file = directory.appendingPathComponent("gatehouse.sqlite").path
        #expect(try Shell.run("/usr/bin/env", ["sqlite3", file, "SELECT count(*) FROM schema_migrations"]) == "4\n")
    }

    @Test("The master key comes from the environment, or from a 0600 file made on first start")
    func masterKey() throws {
        let directory = Engine.temporaryDirectory().path
        let first = try MasterKey.load(dataDirectory: directory, environment: [:])
        let again = try MasterKey.load(dataDirectory: directory, environment: [:])
        #expect(first == again)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/master.key")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let fromEnvironment = try MasterKey.load(
            dataDirectory: directory, environment: [MasterKey.environmentVariable: Data(repeating: 7, count: 32).base64EncodedString()])
        #expect(fromEnvironment == SymmetricKey(data: Data(repeating: 7, count: 32)))
        #expect(throws: StorageError.self) {
            try MasterKey.load(dataDirectory: directory, environment: [MasterKey.environmentVariable: "c2hvcnQ="])
        }
    }
}
