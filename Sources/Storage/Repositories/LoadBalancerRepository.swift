import SQLKit

/// Load balancers with their backend servers, listeners and domain extensions: one aggregate, so deleting a
/// load balancer removes its parts in the same transaction.
package struct LoadBalancerRepository: Sendable {
    let store: Store

    // MARK: Load balancers

    package func insert(_ record: LoadBalancerRecord, tags: [(key: String, value: String)] = []) async throws {
        let pairs = tags.map { ($0.key, $0.value) }
        try await self.store.transaction { database in
            try await database.insert(into: "load_balancers").model(record).run()
            try await TagRepository.set(pairs, on: record.id, type: "instance", regionID: record.regionID, limit: .max, database)
        }
    }

    package func get(_ id: String) async throws -> LoadBalancerRecord? {
        try await self.store.read { database in
            try await database.select().column("*").from("load_balancers").where("id", .equal, id)
                .first(decoding: LoadBalancerRecord.self)
        }
    }

    /// Load balancers of a region, oldest first; `ids` filters when not empty.
    package func list(regionID: String, ids: [String] = []) async throws -> [LoadBalancerRecord] {
        try await self.store.read { database in
            var select = database.select().column("*").from("load_balancers").where("region_id", .equal, regionID)
            if !ids.isEmpty { select = select.where("id", .in, ids) }
            return try await select.orderBy("created_at").orderBy("id").all(decoding: LoadBalancerRecord.self)
        }
    }

    /// Every load balancer (the snapshot builder's view).
    package func all() async throws -> [LoadBalancerRecord] {
        try await self.store.read { database in
            try await database.select().column("*").from("load_balancers").orderBy("id").all(decoding: LoadBalancerRecord.self)
        }
    }

    package func update(_ record: LoadBalancerRecord) async throws {
        try await self.store.transaction { database in
            try await database.update("load_balancers").set(model: record, nilEncodingStrategy: .asNil)
                .where("id", .equal, record.id).run()
        }
    }

    /// Deletes a load balancer with its listeners, backends, server groups, domain extensions and tags.
    package func delete(_ id: String) async throws {
        try await self.store.transaction { database in
            let groups = try await database.select().column("id").from("server_groups").where("load_balancer_id", .equal, id)
                .all(decodingColumn: "id", as: String.self)
            if !groups.isEmpty {
                try await database.delete(from: "server_group_members").where("group_id", .in, groups).run()
            }
            try await database.delete(from: "server_groups").where("load_balancer_id", .equal, id).run()
            for table in ["domain_extensions", "listener_sni_certificates", "listeners", "backend_servers"] {
                try await database.delete(from: table).where("load_balancer_id", .equal, id).run()
            }
            try await database.delete(from: "tags").where("resource_id", .equal, id).run()
            // Listener resource ids are "<lb>_<protocol>_<port>"; load balancer ids have one length, so no other id matches.
            try await database.delete(from: "tags").where("resource_id", .like, id + "_%").run()
            try await database.delete(from: "load_balancers").where("id", .equal, id).run()
        }
    }

    // MARK: Backend servers

    package func backends(of loadBalancerIDs: [String]) async throws -> [BackendServerRecord] {
        guard !loadBalancerIDs.isEmpty else { return [] }
        return try await self.store.read { database in
            try await database.select().column("*").from("backend_servers").where("load_balancer_id", .in, loadBalancerIDs)
                .orderBy("load_balancer_id").orderBy("server_id").all(decoding: BackendServerRecord.self)
        }
    }

    /// Replaces the given backends (by server id) and removes `removed`, in one transaction.
    package func changeBackends(of loadBalancerID: String, upsert: [BackendServerRecord], remove: [String]) async throws {
        try await self.store.transaction { database in
            if !remove.isEmpty {
                try await database.delete(from: "backend_servers").where("load_balancer_id", .equal, loadBalancerID)
                    .where("server_id", .in, remove).run()
            }
            for backend in upsert {
                try await database.insert(into: "backend_servers").model(backend)
                    .onConflict(with: ["load_balancer_id", "server_id"]) {
                        $0.set(excludedValueOf: "type").set(excludedValueOf: "server_ip").set(excludedValueOf: "weight")
                            .set(excludedValueOf: "description")
                    }
                    .run()
            }
        }
    }

    // MARK: Listeners

    /// Inserts a listener, with its SNI certificate list, unless the load balancer already has `limit` listeners.
    package func insertListener(_ record: ListenerRecord, limit: Int, sniCertificateIDs: [String] = []) async throws {
        try await self.store.transaction { database in
            let count = try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("listeners")
                .where("load_balancer_id", .equal, record.loadBalancerID).first(decodingColumn: "n", as: Int.self) ?? 0
            guard count < limit else { throw StorageError.limitExceeded("listeners on \(record.loadBalancerID)") }
            try await database.insert(into: "listeners").model(record).run()
            try await Self.replaceSNI(record.loadBalancerID, port: record.port, with: sniCertificateIDs, database)
        }
    }

    package func listener(_ loadBalancerID: String, port: Int) async throws -> ListenerRecord? {
        try await self.store.read { database in
            try await database.select().column("*").from("listeners").where("load_balancer_id", .equal, loadBalancerID)
                .where("port", .equal, port).first(decoding: ListenerRecord.self)
        }
    }

    /// Listeners of some load balancers (all when `loadBalancerIDs` is nil), by load balancer and port.
    package func listeners(of loadBalancerIDs: [String]?) async throws -> [ListenerRecord] {
        if let ids = loadBalancerIDs, ids.isEmpty { return [] }
        return try await self.store.read { database in
            var select = database.select().column("*").from("listeners")
            if let ids = loadBalancerIDs { select = select.where("load_balancer_id", .in, ids) }
            return try await select.orderBy("load_balancer_id").orderBy("port").all(decoding: ListenerRecord.self)
        }
    }

    /// Updates a listener; `sniCertificateIDs`, when given, replaces its SNI certificate list in the same transaction.
    package func updateListener(_ record: ListenerRecord, sniCertificateIDs: [String]? = nil) async throws {
        try await self.store.transaction { database in
            try await database.update("listeners").set(model: record, nilEncodingStrategy: .asNil)
                .where("load_balancer_id", .equal, record.loadBalancerID).where("port", .equal, record.port).run()
            if let sniCertificateIDs {
                try await Self.replaceSNI(record.loadBalancerID, port: record.port, with: sniCertificateIDs, database)
            }
        }
    }

    /// The SNI certificate lists of listeners (of one listener when both are given; of all otherwise), in list order.
    package func sniCertificates(loadBalancerID: String? = nil, port: Int? = nil) async throws -> [ListenerSNIRecord] {
        try await self.store.read { database in
            var select = database.select().column("*").from("listener_sni_certificates")
            if let loadBalancerID { select = select.where("load_balancer_id", .equal, loadBalancerID) }
            if let port { select = select.where("port", .equal, port) }
            return try await select.orderBy("load_balancer_id").orderBy("port").orderBy("position")
                .all(decoding: ListenerSNIRecord.self)
        }
    }

    private static func replaceSNI(_ loadBalancerID: String, port: Int, with ids: [String], _ database: any SQLDatabase) async throws {
        try await database.delete(from: "listener_sni_certificates").where("load_balancer_id", .equal, loadBalancerID)
            .where("port", .equal, port).run()
        for (position, id) in ids.enumerated() {
            try await database.insert(into: "listener_sni_certificates")
                .model(ListenerSNIRecord(loadBalancerID: loadBalancerID, port: port, certificateID: id, position: position)).run()
        }
    }

    /// Deletes a listener with its domain extensions and tags.
    package func deleteListener(_ loadBalancerID: String, port: Int, resourceID: String) async throws {
        try await self.store.transaction { database in
            try await database.delete(from: "domain_extensions").where("load_balancer_id", .equal, loadBalancerID)
                .where("listener_port", .equal, port).run()
            try await database.delete(from: "listener_sni_certificates").where("load_balancer_id", .equal, loadBalancerID)
                .where("port", .equal, port).run()
            try await database.delete(from: "tags").where("resource_id", .equal, resourceID).run()
            try await database.delete(from: "listeners").where("load_balancer_id", .equal, loadBalancerID)
                .where("port", .equal, port).run()
        }
    }

    // MARK: Domain extensions

    /// Inserts a domain extension unless the listener already has `limit` of them.
    package func insertDomainExtension(_ record: DomainExtensionRecord, limit: Int) async throws {
        try await self.store.transaction { database in
            let count = try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from("domain_extensions").where("load_balancer_id", .equal, record.loadBalancerID)
                .where("listener_port", .equal, record.listenerPort).first(decodingColumn: "n", as: Int.self) ?? 0
            guard count < limit else { throw StorageError.limitExceeded("domain extensions on \(record.loadBalancerID)") }
            try await database.insert(into: "domain_extensions").model(record).run()
        }
    }

    /// Domain extensions, filtered by any of listener, id; all when both are nil.
    package func domainExtensions(loadBalancerID: String? = nil, port: Int? = nil, id: String? = nil) async throws
        -> [DomainExtensionRecord]
    {
        try await self.store.read { database in
            var select = database.select().column("*").from("domain_extensions")
            if let loadBalancerID { select = select.where("load_balancer_id", .equal, loadBalancerID) }
            if let port { select = select.where("listener_port", .equal, port) }
            if let id { select = select.where("id", .equal, id) }
            return try await select.orderBy("created_at").orderBy("id").all(decoding: DomainExtensionRecord.self)
        }
    }

    package func updateDomainExtension(_ record: DomainExtensionRecord) async throws {
        try await self.store.transaction { database in
            try await database.update("domain_extensions").set(model: record, nilEncodingStrategy: .asNil)
                .where("id", .equal, record.id).run()
        }
    }

    package func deleteDomainExtension(_ id: String) async throws {
        try await self.store.transaction { database in
            try await database.delete(from: "domain_extensions").where("id", .equal, id).run()
        }
    }

    // MARK: References

    /// Listeners and domain extensions that use a certificate, as "lb:port" strings (for "in use" checks).
    package func references(toCertificate id: String) async throws -> [String] {
        try await self.store.read { database in
            let listeners = try await database.select().columns("load_balancer_id", "port").from("listeners")
                .where("server_certificate_id", .equal, id).orWhere("ca_certificate_id", .equal, id)
                .all(decoding: ListenerKey.self)
            let extensions = try await database.select().columns("load_balancer_id", "listener_port").from("domain_extensions")
                .where("server_certificate_id", .equal, id).all(decoding: ExtensionKey.self)
            let sni = try await database.select().columns("load_balancer_id", "port").from("listener_sni_certificates")
                .where("certificate_id", .equal, id).all(decoding: ListenerKey.self)
            return (listeners + sni).map { "\($0.load_balancer_id):\($0.port)" }
                + extensions.map { "\($0.load_balancer_id):\($0.listener_port)" }
        }
    }

    private struct ListenerKey: Decodable {
        var load_balancer_id: String
        var port: Int
    }

    private struct ExtensionKey: Decodable {
        var load_balancer_id: String
        var listener_port: Int
    }
}

extension Store {
    package var loadBalancers: LoadBalancerRepository { LoadBalancerRepository(store: self) }
    package var tlsPolicies: TLSPolicyRepository { TLSPolicyRepository(store: self) }
    package var servers: ServerRepository { ServerRepository(store: self) }
}

/// Custom TLS cipher policies.
package struct TLSPolicyRepository: Sendable {
    let store: Store

    package func insert(_ record: TLSPolicyRecord) async throws {
        try await self.store.transaction { database in try await database.insert(into: "tls_policies").model(record).run() }
    }

    package func list(regionID: String) async throws -> [TLSPolicyRecord] {
        try await self.store.read { database in
            try await database.select().column("*").from("tls_policies").where("region_id", .equal, regionID)
                .orderBy("created_at").orderBy("id").all(decoding: TLSPolicyRecord.self)
        }
    }

    package func get(_ id: String) async throws -> TLSPolicyRecord? {
        try await self.store.read { database in
            try await database.select().column("*").from("tls_policies").where("id", .equal, id).first(decoding: TLSPolicyRecord.self)
        }
    }

    package func update(_ record: TLSPolicyRecord) async throws {
        try await self.store.transaction { database in
            try await database.update("tls_policies").set(model: record, nilEncodingStrategy: .asNil)
                .where("id", .equal, record.id).run()
        }
    }

    package func delete(_ id: String) async throws {
        try await self.store.transaction { database in try await database.delete(from: "tls_policies").where("id", .equal, id).run() }
    }
}

/// The operator's registry of servers that `ecs` backends name.
package struct ServerRepository: Sendable {
    let store: Store

    package func upsert(_ record: ServerRecord) async throws {
        try await self.store.transaction { database in
            try await database.insert(into: "servers").model(record)
                .onConflict(with: ["id"]) { $0.set(excludedValueOf: "ip").set(excludedValueOf: "description") }
                .run()
        }
    }

    package func all() async throws -> [ServerRecord] {
        try await self.store.read { database in
            try await database.select().column("*").from("servers").orderBy("id").all(decoding: ServerRecord.self)
        }
    }

    package func get(_ id: String) async throws -> ServerRecord? {
        try await self.store.read { database in
            try await database.select().column("*").from("servers").where("id", .equal, id).first(decoding: ServerRecord.self)
        }
    }

    package func delete(_ id: String) async throws -> Bool {
        try await self.store.transaction { database in
            let exists = try await database.select().column("id").from("servers").where("id", .equal, id).first() != nil
            try await database.delete(from: "servers").where("id", .equal, id).run()
            return exists
        }
    }
}
