import Foundation
import SQLKit

/// Which certificates a list call wants. Empty fields do not filter.
package struct CertificateQuery: Hashable, Sendable {
    package var regionID: String?
    package var kinds: [String] = []
    package var ids: [String] = []
    package var name: String?

    package init(regionID: String? = nil, kinds: [String] = [], ids: [String] = [], name: String? = nil) {
        self.regionID = regionID
        self.kinds = kinds
        self.ids = ids
        self.name = name
    }
}

/// Certificates and their sealed private keys.
package struct CertificateRepository: Sendable {
    let store: Store

    private static let columns = [
        "id", "region_id", "kind", "name", "description", "domain", "certificate_pem", "enc_certificate_pem",
        "common_name", "subject_alternative_names", "issuer", "serial_number", "fingerprint_sha1",
        "fingerprint_sha256", "key_algorithm", "key_bits", "not_before", "not_after", "source", "source_id",
        "resource_group_id", "created_at", "updated_at",
    ]

    private static func context(_ id: String, _ column: String) -> String { "certificate:\(id):\(column)" }

    /// Stores a new certificate with its tags in one transaction; its keys are sealed before they reach the database.
    ///
    /// - Parameter quota: When set, the insert fails with ``StorageError/limitExceeded(_:)`` if the region already
    ///   holds that many certificates of the record's kind; counted in the same transaction, so concurrent uploads
    ///   cannot overshoot it.
    package func insert(
        _ record: CertificateRecord,
        keys: PrivateKeyMaterial = PrivateKeyMaterial(privateKeyPEM: nil),
        tags: [(key: String, value: String)] = [],
        quota: Int? = nil
    ) async throws {
        let secrets = self.store.secrets
        let sealedKey = try keys.privateKeyPEM.map { try secrets.seal($0, context: Self.context(record.id, "private_key")) }
        let sealedEncKey = try keys.encPrivateKeyPEM.map {
            try secrets.seal($0, context: Self.context(record.id, "enc_private_key"))
        }
        let sans = String(decoding: try JSONEncoder().encode(record.subjectAlternativeNames), as: UTF8.self)
        let tagPairs = tags.map { ($0.key, $0.value) }
        try await self.store.transaction { database in
            if let quota {
                let count = try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                    .from("certificates").where("region_id", .equal, record.regionID).where("kind", .equal, record.kind)
                    .first(decodingColumn: "n", as: Int.self) ?? 0
                guard count < quota else { throw StorageError.limitExceeded("\(record.kind) certificates in \(record.regionID)") }
            }
            try await database.insert(into: "certificates")
                .columns(Self.columns + ["private_key_sealed", "enc_private_key_sealed"])
                .values(
                    SQLBind(record.id), SQLBind(record.regionID), SQLBind(record.kind), SQLBind(record.name),
                    SQLBind(record.description), SQLBind(record.domain), SQLBind(record.certificatePEM),
                    SQLBind(record.encCertificatePEM), SQLBind(record.commonName), SQLBind(sans), SQLBind(record.issuer),
                    SQLBind(record.serialNumber), SQLBind(record.fingerprintSHA1), SQLBind(record.fingerprintSHA256),
                    SQLBind(record.keyAlgorithm), SQLBind(record.keyBits), SQLBind(record.notBefore),
                    SQLBind(record.notAfter), SQLBind(record.source), SQLBind(record.sourceID),
                    SQLBind(record.resourceGroupID), SQLBind(record.createdAt), SQLBind(record.updatedAt),
                    SQLBind(sealedKey), SQLBind(sealedEncKey)
                )
                .run()
            try await TagRepository.set(
                tagPairs, on: record.id, type: "certificate", regionID: record.regionID, limit: .max, database)
        }
    }

    /// One certificate by id, optionally only within a region.
    package func get(_ id: String, regionID: String? = nil) async throws -> CertificateRecord? {
        try await self.list(CertificateQuery(regionID: regionID, ids: [id])).first
    }

    /// Certificates matching `query`, oldest first.
    package func list(_ query: CertificateQuery) async throws -> [CertificateRecord] {
        try await self.store.read { database in
            var select = database.select().columns(Self.columns.map { SQLIdentifier($0) }).from("certificates")
            if let region = query.regionID { select = select.where("region_id", .equal, region) }
            if !query.kinds.isEmpty { select = select.where("kind", .in, query.kinds) }
            if !query.ids.isEmpty { select = select.where("id", .in, query.ids) }
            if let name = query.name { select = select.where("name", .equal, name) }
            return try await select.orderBy("created_at").orderBy("id").all(decoding: Row.self).map { try $0.record() }
        }
    }

    /// How many certificates of these kinds a region holds (for quotas).
    package func count(regionID: String, kinds: [String]) async throws -> Int {
        try await self.store.read { database in
            try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("certificates")
                .where("region_id", .equal, regionID).where("kind", .in, kinds)
                .first(decodingColumn: "n", as: Int.self) ?? 0
        }
    }

    /// Replaces a certificate's content and metadata in place (same id), with its keys when given; listeners
    /// that use it serve the new content after the change is applied.
    package func replace(_ record: CertificateRecord, keys: PrivateKeyMaterial?) async throws {
        let secrets = self.store.secrets
        let sealedKey = try keys?.privateKeyPEM.map { try secrets.seal($0, context: Self.context(record.id, "private_key")) }
        let sealedEncKey = try keys?.encPrivateKeyPEM.map {
            try secrets.seal($0, context: Self.context(record.id, "enc_private_key"))
        }
        let sans = String(decoding: try JSONEncoder().encode(record.subjectAlternativeNames), as: UTF8.self)
        try await self.store.transaction { database in
            var update = database.update("certificates")
                .set("name", to: record.name).set("description", to: record.description).set("domain", to: record.domain)
                .set("certificate_pem", to: record.certificatePEM).set("enc_certificate_pem", to: record.encCertificatePEM)
                .set("common_name", to: record.commonName).set("subject_alternative_names", to: sans)
                .set("issuer", to: record.issuer).set("serial_number", to: record.serialNumber)
                .set("fingerprint_sha1", to: record.fingerprintSHA1).set("fingerprint_sha256", to: record.fingerprintSHA256)
                .set("key_algorithm", to: record.keyAlgorithm).set("key_bits", to: record.keyBits)
                .set("not_before", to: record.notBefore).set("not_after", to: record.notAfter)
                .set("updated_at", to: record.updatedAt)
            if let sealedKey { update = update.set("private_key_sealed", to: sealedKey) }
            if let sealedEncKey { update = update.set("enc_private_key_sealed", to: sealedEncKey) }
            try await update.where("id", .equal, record.id).run()
        }
    }

    /// Renames a certificate; `false` if there is no such certificate.
    package func rename(_ id: String, to name: String, at time: Int64) async throws -> Bool {
        try await self.store.transaction { database in
            guard try await database.select().column("id").from("certificates").where("id", .equal, id).first() != nil
            else { return false }
            try await database.update("certificates").set("name", to: name).set("updated_at", to: time)
                .where("id", .equal, id).run()
            return true
        }
    }

    /// Deletes a certificate and its tags; `false` if there is no such certificate.
    package func delete(_ id: String) async throws -> Bool {
        try await self.store.transaction { database in
            guard try await database.select().column("id").from("certificates").where("id", .equal, id).first() != nil
            else { return false }
            try await database.delete(from: "tags").where("resource_type", .equal, "certificate")
                .where("resource_id", .equal, id).run()
            try await database.delete(from: "certificates").where("id", .equal, id).run()
            return true
        }
    }

    /// The decrypted private keys of a certificate, for the data plane and for explicit key echo only.
    package func privateKeys(of id: String) async throws -> PrivateKeyMaterial? {
        let row = try await self.store.read { database in
            try await database.select().columns("private_key_sealed", "enc_private_key_sealed").from("certificates")
                .where("id", .equal, id).first(decoding: SealedKeys.self)
        }
        guard let row else { return nil }
        let secrets = self.store.secrets
        return PrivateKeyMaterial(
            privateKeyPEM: try row.private_key_sealed.map { try secrets.open($0, context: Self.context(id, "private_key")) },
            encPrivateKeyPEM: try row.enc_private_key_sealed.map {
                try secrets.open($0, context: Self.context(id, "enc_private_key"))
            }
        )
    }

    private struct SealedKeys: Decodable {
        var private_key_sealed: String?
        var enc_private_key_sealed: String?
    }

    private struct Row: Decodable {
        var id: String
        var region_id: String
        var kind: String
        var name: String
        var description: String
        var domain: String?
        var certificate_pem: String
        var enc_certificate_pem: String?
        var common_name: String?
        var subject_alternative_names: String
        var issuer: String
        var serial_number: String
        var fingerprint_sha1: String
        var fingerprint_sha256: String
        var key_algorithm: String
        var key_bits: Int
        var not_before: Int64
        var not_after: Int64
        var source: String
        var source_id: String?
        var resource_group_id: String?
        var created_at: Int64
        var updated_at: Int64

        func record() throws -> CertificateRecord {
            CertificateRecord(
                id: self.id, regionID: self.region_id, kind: self.kind, name: self.name, description: self.description,
                domain: self.domain, certificatePEM: self.certificate_pem, encCertificatePEM: self.enc_certificate_pem,
                commonName: self.common_name,
                subjectAlternativeNames: try JSONDecoder().decode([String].self, from: Data(self.subject_alternative_names.utf8)),
                issuer: self.issuer, serialNumber: self.serial_number, fingerprintSHA1: self.fingerprint_sha1,
                fingerprintSHA256: self.fingerprint_sha256, keyAlgorithm: self.key_algorithm, keyBits: self.key_bits,
                notBefore: self.not_before, notAfter: self.not_after, source: self.source, sourceID: self.source_id,
                resourceGroupID: self.resource_group_id, createdAt: self.created_at, updatedAt: self.updated_at
            )
        }
    }
}
