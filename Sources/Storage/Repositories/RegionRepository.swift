import SQLKit

/// Regions and their Huawei project ids.
package struct RegionRepository: Sendable {
    let store: Store

    /// Creates the region, or updates its local name and project id if it exists.
    package func upsert(_ region: RegionRecord) async throws {
        try await self.store.transaction { database in
            try await database.insert(into: "regions")
                .columns("id", "local_name", "project_id", "key_policy", "created_at")
                .values(SQLBind(region.id), SQLBind(region.localName), SQLBind(region.projectID), SQLBind(region.keyPolicy),
                        SQLBind(region.createdAt))
                .onConflict(with: ["id"]) {
                    $0.set(excludedValueOf: "local_name").set(excludedValueOf: "project_id").set(excludedValueOf: "key_policy")
                }
                .run()
        }
    }

    package func all() async throws -> [RegionRecord] {
        try await self.store.read { database in
            try await database.select().columns("id", "local_name", "project_id", "key_policy", "created_at").from("regions")
                .orderBy("id").all().map(Self.record)
        }
    }

    package func get(_ id: String) async throws -> RegionRecord? {
        try await self.store.read { database in
            try await database.select().columns("id", "local_name", "project_id", "key_policy", "created_at").from("regions")
                .where("id", .equal, id).first().map(Self.record)
        }
    }

    /// The Huawei private-key echo switch of a region (false when the region does not exist).
    package func privateKeyEcho(_ id: String) async throws -> Bool {
        try await self.store.read { database in
            try await database.select().column("private_key_echo").from("regions").where("id", .equal, id)
                .first(decodingColumn: "private_key_echo", as: Int.self) ?? 0
        } != 0
    }

    package func setPrivateKeyEcho(_ id: String, _ on: Bool) async throws {
        try await self.store.transaction { database in
            try await database.update("regions").set("private_key_echo", to: on ? 1 : 0).where("id", .equal, id).run()
        }
    }

    private static func record(_ row: any SQLRow) throws -> RegionRecord {
        RegionRecord(
            id: try row.decode(column: "id", as: String.self),
            localName: try row.decode(column: "local_name", as: String.self),
            projectID: try row.decode(column: "project_id", as: String.self),
            keyPolicy: try row.decode(column: "key_policy", as: String.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }
}

extension Store {
    package var regions: RegionRepository { RegionRepository(store: self) }
    package var accessKeys: AccessKeyRepository { AccessKeyRepository(store: self) }
    package var certificates: CertificateRepository { CertificateRepository(store: self) }
    package var tags: TagRepository { TagRepository(store: self) }
    package var storeCertificates: StoreCertificateRepository { StoreCertificateRepository(store: self) }
}
