import SQLKit

/// Backend server groups (ELB pools) with their members and health monitor.
package struct ServerGroupRepository: Sendable {
    let store: Store

    package func insert(_ record: ServerGroupRecord) async throws {
        try await self.store.transaction { database in try await database.insert(into: "server_groups").model(record).run() }
    }

    package func get(_ id: String) async throws -> ServerGroupRecord? {
        try await self.store.read { database in
            try await database.select().column("*").from("server_groups").where("id", .equal, id).first(decoding: ServerGroupRecord.self)
        }
    }

    /// Groups of a region (all regions when nil), oldest first.
    package func list(regionID: String?) async throws -> [ServerGroupRecord] {
        try await self.store.read { database in
            var select = database.select().column("*").from("server_groups")
            if let regionID { select = select.where("region_id", .equal, regionID) }
            return try await select.orderBy("created_at").orderBy("id").all(decoding: ServerGroupRecord.self)
        }
    }

    package func update(_ record: ServerGroupRecord) async throws {
        try await self.store.transaction { database in
            try await database.update("server_groups").set(model: record, nilEncodingStrategy: .asNil)
                .where("id", .equal, record.id).run()
        }
    }

    /// Deletes a group with its members.
    package func delete(_ id: String) async throws {
        try await self.store.transaction { database in
            try await database.delete(from: "server_group_members").where("group_id", .equal, id).run()
            try await database.delete(from: "server_groups").where("id", .equal, id).run()
        }
    }

    // MARK: Members

    /// Members of some groups (all when nil), oldest first.
    package func members(of groupIDs: [String]?) async throws -> [ServerGroupMemberRecord] {
        if let groupIDs, groupIDs.isEmpty { return [] }
        return try await self.store.read { database in
            var select = database.select().column("*").from("server_group_members")
            if let groupIDs { select = select.where("group_id", .in, groupIDs) }
            return try await select.orderBy("created_at").orderBy("id").all(decoding: ServerGroupMemberRecord.self)
        }
    }

    /// Inserts a member unless its group already has `limit` members; an address and port already in the group is
    /// ``StorageError/uniqueViolation``.
    package func insertMember(_ record: ServerGroupMemberRecord, limit: Int) async throws {
        try await self.store.transaction { database in
            let count = try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("server_group_members").where("group_id", .equal, record.groupID).first(decodingColumn: "n", as: Int.self) ?? 0
            guard count < limit else { throw StorageError.limitExceeded("members of \(record.groupID)") }
            try await database.insert(into: "server_group_members").model(record).run()
        }
    }

    package func updateMember(_ record: ServerGroupMemberRecord) async throws {
        try await self.store.transaction { database in
            try await database.update("server_group_members").set(model: record, nilEncodingStrategy: .asNil)
                .where("id", .equal, record.id).run()
        }
    }

    package func deleteMember(_ id: String) async throws {
        try await self.store.transaction { database in
            try await database.delete(from: "server_group_members").where("id", .equal, id).run()
        }
    }
}

extension Store {
    package var serverGroups: ServerGroupRepository { ServerGroupRepository(store: self) }
}
