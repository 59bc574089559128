import Foundation
import Logging
import SQLKit

/// One schema change. Migrations run in `version` order, each in its own transaction, and are recorded in
/// `schema_migrations`; a migration never changes once released.
struct Migration: Sendable {
    var version: Int
    var name: String
    var apply: @Sendable (any SQLDatabase) async throws -> Void
}

/// Applies the pending migrations of ``Migrator/all``.
struct Migrator {
    static let all: [Migration] = [M0001Initial.migration, M0002LoadBalancers.migration, M0003PrivateKeyEcho.migration, M0004ServerGroups.migration]

    let store: Store

    func migrate() async throws {
        try await self.store.read { database in
            try await database.create(table: "schema_migrations").ifNotExists()
                .column("version", type: .bigint, .primaryKey(autoIncrement: false))
                .column("name", type: .text, .notNull)
                .column("applied_at", type: .bigint, .notNull)
                .run()
        }
        let applied = try await self.store.read { database in
            try await database.select().column("version").from("schema_migrations").all(decodingColumn: "version", as: Int.self)
        }
        for migration in Self.all where !applied.contains(migration.version) {
            try await self.store.transaction { database in
                try await migration.apply(database)
                try await database.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Int64(Date().timeIntervalSince1970)))
                    .run()
            }
            self.store.logger.info("Applied migration", metadata: ["migration.version": "\(migration.version)", "migration.name": "\(migration.name)"])
        }
    }
}
