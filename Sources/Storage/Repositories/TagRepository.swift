import SQLKit

/// One tag on one resource.
package struct TagRecord: Hashable, Sendable, Codable {
    package var resourceType: String
    package var resourceID: String
    package var key: String
    package var value: String

    package init(resourceType: String, resourceID: String, key: String, value: String) {
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.key = key
        self.value = value
    }
}

/// Tags of every resource type, in one table keyed by (type, id, key).
package struct TagRepository: Sendable {
    let store: Store

    /// Adds or overwrites tags on resources, refusing (with ``StorageError/limitExceeded(_:)``) if any resource would
    /// end up with more than `limit` tags. All or nothing.
    package func set(
        _ tags: [(key: String, value: String)],
        on resourceIDs: [String],
        type: String,
        regionID: String,
        limit: Int
    ) async throws {
        let pairs = tags.map { ($0.key, $0.value) }
        try await self.store.transaction { database in
            for id in resourceIDs {
                try await Self.set(pairs, on: id, type: type, regionID: regionID, limit: limit, database)
            }
        }
    }

    static func set(
        _ tags: [(String, String)],
        on resourceID: String,
        type: String,
        regionID: String,
        limit: Int,
        _ database: any SQLDatabase
    ) async throws {
        let existing = try await database.select().column("tag_key").from("tags")
            .where("resource_type", .equal, type).where("resource_id", .equal, resourceID)
            .all(decodingColumn: "tag_key", as: String.self)
        let total = Set(existing).union(tags.map(\.0)).count
        guard total <= limit else { throw StorageError.limitExceeded("tags on \(resourceID)") }
        for (key, value) in tags {
            try await database.insert(into: "tags")
                .columns("resource_type", "resource_id", "region_id", "tag_key", "tag_value")
                .values(SQLBind(type), SQLBind(resourceID), SQLBind(regionID), SQLBind(key), SQLBind(value))
                .onConflict(with: ["resource_type", "resource_id", "tag_key"]) { $0.set(excludedValueOf: "tag_value") }
                .run()
        }
    }

    /// Removes the named tag keys (or all tags when `keys` is nil) from resources.
    package func remove(keys: [String]?, from resourceIDs: [String], type: String) async throws {
        guard !resourceIDs.isEmpty, keys.map({ !$0.isEmpty }) ?? true else { return }
        try await self.store.transaction { database in
            var delete = database.delete(from: "tags").where("resource_type", .equal, type).where("resource_id", .in, resourceIDs)
            if let keys { delete = delete.where("tag_key", .in, keys) }
            try await delete.run()
        }
    }

    /// Tags of a type in a region, optionally only of some resources, ordered by resource then key.
    package func list(type: String, regionID: String, resourceIDs: [String]? = nil) async throws -> [TagRecord] {
        // `IN ()` is an error on PostgreSQL (SQLite accepts it).
        if let resourceIDs, resourceIDs.isEmpty { return [] }
        return try await self.store.read { database in
            var select = database.select().columns("resource_type", "resource_id", "tag_key", "tag_value").from("tags")
                .where("resource_type", .equal, type).where("region_id", .equal, regionID)
            if let resourceIDs { select = select.where("resource_id", .in, resourceIDs) }
            return try await select.orderBy("resource_id").orderBy("tag_key").all(decoding: Row.self).map {
                TagRecord(resourceType: $0.resource_type, resourceID: $0.resource_id, key: $0.tag_key, value: $0.tag_value)
            }
        }
    }

    private struct Row: Decodable {
        var resource_type: String
        var resource_id: String
        var tag_key: String
        var tag_value: String
    }
}
