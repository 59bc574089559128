import SQLKit

/// API access keys. Secrets are sealed with the master key, bound to their key id.
package struct AccessKeyRepository: Sendable {
    let store: Store

    private static func context(_ id: String) -> String { "access_key:\(id):secret" }

    /// Creates the key, or replaces its secret and note if it exists.
    package func upsert(_ key: AccessKeyRecord) async throws {
        let sealed = try self.store.secrets.seal(key.secret, context: Self.context(key.id))
        try await self.store.transaction { database in
            try await database.insert(into: "access_keys")
                .columns("id", "secret_sealed", "description", "created_at")
                .values(SQLBind(key.id), SQLBind(sealed), SQLBind(key.note), SQLBind(key.createdAt))
                .onConflict(with: ["id"]) { $0.set(excludedValueOf: "secret_sealed").set(excludedValueOf: "description") }
                .run()
        }
    }

    /// The key with its secret, for signature checks; `nil` if there is no such key.
    package func get(_ id: String) async throws -> AccessKeyRecord? {
        let store = self.store
        let row = try await store.read { database in
            try await database.select().columns("id", "secret_sealed", "description", "created_at").from("access_keys")
                .where("id", .equal, id).first(decoding: Row.self)
        }
        return try row.map { try $0.record(store.secrets) }
    }

    /// Every key, oldest first, secrets included (the CLI shows ids only).
    package func all() async throws -> [AccessKeyRecord] {
        let store = self.store
        let rows = try await store.read { database in
            try await database.select().columns("id", "secret_sealed", "description", "created_at").from("access_keys")
                .orderBy("created_at").orderBy("id").all(decoding: Row.self)
        }
        return try rows.map { try $0.record(store.secrets) }
    }

    /// Deletes a key; `false` if there was none.
    package func delete(_ id: String) async throws -> Bool {
        try await self.store.transaction { database in
            let exists = try await database.select().column("id").from("access_keys").where("id", .equal, id).first() != nil
            try await database.delete(from: "access_keys").where("id", .equal, id).run()
            return exists
        }
    }

    private struct Row: Decodable {
        var id: String
        var secret_sealed: String
        var description: String
        var created_at: Int64

        func record(_ secrets: SecretBox) throws -> AccessKeyRecord {
            AccessKeyRecord(
                id: self.id, secret: try secrets.open(self.secret_sealed, context: AccessKeyRepository.context(self.id)),
                note: self.description, createdAt: self.created_at)
        }
    }
}
