import SQLKit

/// A certificate in the operator's own certificate store (`gatehouse store add`), importable by id.
package struct StoreCertificateRecord: Hashable, Sendable, CustomStringConvertible {
    package var id: String
    package var name: String
    package var regionID: String
    package var certificatePEM: String
    package var privateKeyPEM: String
    package var createdAt: Int64

    package init(id: String, name: String, regionID: String, certificatePEM: String, privateKeyPEM: String, createdAt: Int64) {
        self.id = id
        self.name = name
        self.regionID = regionID
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.createdAt = createdAt
    }

    package var description: String { "StoreCertificate(\(self.id), \(self.name), <redacted>)" }
}

/// The operator's certificate store. Keys are sealed like every other key.
package struct StoreCertificateRepository: Sendable {
    let store: Store

    private static func context(_ id: String) -> String { "store_certificate:\(id):private_key" }

    package func insert(_ record: StoreCertificateRecord) async throws {
        let sealed = try self.store.secrets.seal(record.privateKeyPEM, context: Self.context(record.id))
        try await self.store.transaction { database in
            try await database.insert(into: "store_certificates")
                .columns("id", "name", "region_id", "certificate_pem", "private_key_sealed", "created_at")
                .values(SQLBind(record.id), SQLBind(record.name), SQLBind(record.regionID), SQLBind(record.certificatePEM),
                        SQLBind(sealed), SQLBind(record.createdAt))
                .run()
        }
    }

    /// Every entry, oldest first, keys included (callers show ids and names only).
    package func all() async throws -> [StoreCertificateRecord] {
        try await self.fetch(nil)
    }

    package func get(_ id: String) async throws -> StoreCertificateRecord? {
        try await self.fetch(id).first
    }

    private func fetch(_ id: String?) async throws -> [StoreCertificateRecord] {
        let rows = try await self.store.read { database in
            var select = database.select()
                .columns("id", "name", "region_id", "certificate_pem", "private_key_sealed", "created_at").from("store_certificates")
            if let id { select = select.where("id", .equal, id) }
            return try await select.orderBy("created_at").orderBy("id").all(decoding: Row.self)
        }
        let secrets = self.store.secrets
        return try rows.map {
            StoreCertificateRecord(
                id: $0.id, name: $0.name, regionID: $0.region_id, certificatePEM: $0.certificate_pem,
                privateKeyPEM: try secrets.open($0.private_key_sealed, context: Self.context($0.id)), createdAt: $0.created_at)
        }
    }

    private struct Row: Decodable {
        var id: String
        var name: String
        var region_id: String
        var certificate_pem: String
        var private_key_sealed: String
        var created_at: Int64
    }
}
