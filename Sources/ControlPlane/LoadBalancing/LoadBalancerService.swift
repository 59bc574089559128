package import Foundation
package import Storage

/// Creates, lists and deletes load balancers and manages their backend servers.
package struct LoadBalancerService: Sendable {
    let store: Store
    /// The addresses load balancers get (`--lb-address`); the least used one is given out.
    let addresses: [String]

    package init(store: Store, addresses: [String] = ["127.0.0.1"]) {
        self.store = store
        self.addresses = addresses.isEmpty ? ["127.0.0.1"] : addresses
    }

    /// Load balancer names: 1-80 characters, starting with a letter (CJK allowed); letters, digits, `.`, `_`, `-`, `/`.
    static func validateName(_ name: String) throws(ControlPlaneError) {
        guard NameRules.isValidCertificateName(name.replacingOccurrences(of: "/", with: "-")) else { throw .invalidName(name) }
    }

    /// Creates a load balancer on the least used address of the pool, or on `address` when given (it must be in the
    /// pool). `freeName` applies the ELB name rule (0-255 characters of anything) instead of the CLB one.
    package func create(
        regionID: String, name: String?, settings: LoadBalancerSettings, tags: [Tag], address requested: String? = nil,
        freeName: Bool = false
    ) async throws -> LoadBalancer {
        _ = try await RegionService(store: self.store).require(regionID)
        try TagRules.validate(tags)
        if let name {
            if freeName {
                guard name.count <= 255 else { throw ControlPlaneError.invalidParameter(name: "name", reason: "at most 255 characters") }
            } else {
                try Self.validateName(name)
            }
        }
        if let requested, !self.addresses.contains(requested) {
            throw ControlPlaneError.invalidParameter(
                name: "vip_address", reason: "\(requested) is not one of this node's load balancer addresses (\(self.addresses.joined(separator: ", ")))")
        }
        let id = "lb-" + Identifiers.lowercaseAlphanumeric(20)
        let used = Dictionary(grouping: try await self.store.loadBalancers.all(), by: \.address).mapValues(\.count)
        let address = requested ?? self.addresses.min { used[$0, default: 0] < used[$1, default: 0] } ?? self.addresses[0]
        let now = Date()
        let record = LoadBalancerRecord(
            id: id, regionID: regionID, name: name ?? "auto_named_slb", address: address, status: "active",
            settings: try JSONCoding.encode(settings), createdAt: Int64(now.timeIntervalSince1970))
        try await self.store.loadBalancers.insert(record, tags: tags.map { ($0.key, $0.value) })
        return try await self.get(id, regionID: regionID)
    }

    package func get(_ id: String, regionID: String) async throws -> LoadBalancer {
        guard let record = try await self.store.loadBalancers.get(id), record.regionID == regionID else {
            throw ControlPlaneError.loadBalancerNotFound(id)
        }
        return try await self.assemble([record])[0]
    }

    /// Load balancers of a region, filtered by ids (when given).
    package func list(regionID: String, ids: [String] = []) async throws -> [LoadBalancer] {
        _ = try await RegionService(store: self.store).require(regionID)
        return try await self.assemble(try await self.store.loadBalancers.list(regionID: regionID, ids: ids))
    }

    /// Changes the settings; `change` edits a copy.
    package func update(_ id: String, regionID: String, _ change: (inout LoadBalancerSettings) throws -> Void) async throws {
        var record = try await self.record(id, regionID: regionID)
        var settings = try JSONCoding.decode(LoadBalancerSettings.self, record.settings)
        try change(&settings)
        guard (settings.description?.count ?? 0) <= 255 else {
            throw ControlPlaneError.invalidParameter(name: "description", reason: "at most 255 characters")
        }
        record.settings = try JSONCoding.encode(settings)
        try await self.store.loadBalancers.update(record)
    }

    package func rename(_ id: String, regionID: String, to name: String, freeName: Bool = false) async throws {
        if freeName {
            guard name.count <= 255 else { throw ControlPlaneError.invalidParameter(name: "name", reason: "at most 255 characters") }
        } else {
            try Self.validateName(name)
        }
        var record = try await self.record(id, regionID: regionID)
        record.name = name
        try await self.store.loadBalancers.update(record)
    }

    /// Deletes a load balancer with its listeners (running ones stop), backends and tags.
    package func delete(_ id: String, regionID: String) async throws {
        let balancer = try await self.get(id, regionID: regionID)
        guard balancer.settings.deleteProtection != "on" else { throw ControlPlaneError.deleteProtected(id) }
        try await self.store.loadBalancers.delete(id)
    }

    // MARK: Backend servers

    /// A backend as a call names it: `ecs` servers by id (resolved through `gatehouse server add`), others with
    /// their IP.
    package struct BackendInput: Hashable, Sendable {
        package var serverID: String
        package var type: String
        package var ip: String?
        package var weight: Int?
        package var description: String?

        package init(serverID: String, type: String, ip: String?, weight: Int?, description: String?) {
            self.serverID = serverID
            self.type = type
            self.ip = ip
            self.weight = weight
            self.description = description
        }
    }

    /// Adds backends (at most 20 a call); a server already attached is refused, duplicates in one call count once.
    package func addBackends(_ id: String, regionID: String, _ inputs: [BackendInput]) async throws -> [Backend] {
        let balancer = try await self.get(id, regionID: regionID)
        try Self.checkCount(inputs)
        var seen = Set<String>()
        var records: [BackendServerRecord] = []
        for input in inputs where seen.insert(input.serverID).inserted {
            guard !balancer.backends.contains(where: { $0.serverID == input.serverID }) else {
                throw ControlPlaneError.backendServerAlreadyExists(input.serverID)
            }
            records.append(try await self.resolve(input, loadBalancerID: id, existing: nil))
        }
        try await self.store.loadBalancers.changeBackends(of: id, upsert: records, remove: [])
        return try await self.get(id, regionID: regionID).backends
    }

    /// Removes backends by server id; unknown ids are refused.
    package func removeBackends(_ id: String, regionID: String, serverIDs: [String]) async throws -> [Backend] {
        let balancer = try await self.get(id, regionID: regionID)
        guard (1...20).contains(serverIDs.count) else {
            throw ControlPlaneError.invalidParameter(name: "BackendServers", reason: "1 to 20 servers")
        }
        for serverID in serverIDs where !balancer.backends.contains(where: { $0.serverID == serverID }) {
            throw ControlPlaneError.backendServerNotFound(serverID)
        }
        try await self.store.loadBalancers.changeBackends(of: id, upsert: [], remove: serverIDs)
        return try await self.get(id, regionID: regionID).backends
    }

    /// Changes the weight (and description) of attached backends.
    package func setBackends(_ id: String, regionID: String, _ inputs: [BackendInput]) async throws -> [Backend] {
        let balancer = try await self.get(id, regionID: regionID)
        try Self.checkCount(inputs)
        var records: [BackendServerRecord] = []
        for input in inputs {
            guard let existing = balancer.backends.first(where: { $0.serverID == input.serverID }) else {
                throw ControlPlaneError.backendServerNotFound(input.serverID)
            }
            records.append(try await self.resolve(input, loadBalancerID: id, existing: existing))
        }
        try await self.store.loadBalancers.changeBackends(of: id, upsert: records, remove: [])
        return try await self.get(id, regionID: regionID).backends
    }

    private static func checkCount(_ inputs: [BackendInput]) throws(ControlPlaneError) {
        guard (1...20).contains(inputs.count) else {
            throw .invalidParameter(name: "BackendServers", reason: "1 to 20 servers")
        }
    }

    private func resolve(_ input: BackendInput, loadBalancerID: String, existing: Backend?) async throws -> BackendServerRecord {
        let weight = input.weight ?? existing?.weight ?? 100
        guard (0...100).contains(weight) else { throw ControlPlaneError.invalidParameter(name: "Weight", reason: "0 to 100") }
        let type = existing?.type ?? input.type
        let ip: String
        switch type {
        case "ecs":
            guard let server = try await self.store.servers.get(input.serverID) else {
                throw ControlPlaneError.backendServerNotFound(input.serverID)
            }
            ip = server.ip
        case "eni", "eci", "ip":
            guard let given = input.ip ?? existing?.ip, IPAddressText.isValid(given) else {
                throw ControlPlaneError.invalidParameter(name: "ServerIp", reason: "an IPv4 or IPv6 address is required for \(type) servers")
            }
            ip = given
        default:
            throw ControlPlaneError.invalidParameter(name: "Type", reason: "ecs, eni, eci or ip")
        }
        return BackendServerRecord(
            loadBalancerID: loadBalancerID, serverID: input.serverID, type: type, serverIP: ip, weight: weight,
            description: input.description ?? existing?.description ?? "")
    }

    private func record(_ id: String, regionID: String) async throws -> LoadBalancerRecord {
        guard let record = try await self.store.loadBalancers.get(id), record.regionID == regionID else {
            throw ControlPlaneError.loadBalancerNotFound(id)
        }
        return record
    }

    private func assemble(_ records: [LoadBalancerRecord]) async throws -> [LoadBalancer] {
        let backends = Dictionary(grouping: try await self.store.loadBalancers.backends(of: records.map(\.id)), by: \.loadBalancerID)
        var result: [LoadBalancer] = []
        for record in records {
            let tags = try await self.store.tags.list(type: "instance", regionID: record.regionID, resourceIDs: [record.id])
            result.append(LoadBalancer(
                id: record.id, regionID: record.regionID, name: record.name, address: record.address, status: record.status,
                settings: try JSONCoding.decode(LoadBalancerSettings.self, record.settings),
                createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
                backends: (backends[record.id] ?? []).map {
                    Backend(serverID: $0.serverID, type: $0.type, ip: $0.serverIP, weight: $0.weight, description: $0.description)
                },
                tags: tags.map { Tag(key: $0.key, value: $0.value) }))
        }
        return result
    }
}

/// JSON for settings columns.
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// Textual IP address checks, without touching the network.
package enum IPAddressText {
    package static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 { return parts.allSatisfy { UInt8($0) != nil && ($0 == "0" || !$0.hasPrefix("0")) } }
        return text.contains(":") && text.split(separator: ":", omittingEmptySubsequences: false).count <= 8
            && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
