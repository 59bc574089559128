package import Foundation
package import Storage

/// A custom TLS cipher policy (CreateTLSCipherPolicy).
package struct TLSCipherPolicy: Hashable, Sendable {
    package var id: String
    package var regionID: String
    package var name: String
    package var description: String
    package var versions: [TLSPolicy.Version]
    package var ciphers: [String]
    package var createdAt: Date
    /// Listeners using it, as (load balancer id, port, protocol).
    package var listeners: [Listener]
}

/// Custom TLS cipher policies and the resolution of any policy name a listener names.
package struct TLSPolicyService: Sendable {
    let store: Store

    package init(store: Store) {
        self.store = store
    }

    /// Custom policy names: 2-200 characters, starting with a letter; letters, digits, `.`, `_`, `-`.
    private static func validateName(_ name: String) throws(ControlPlaneError) {
        guard (2...200).contains(name.count), name.first?.isLetter == true, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) })
        else { throw .invalidName(name) }
    }

    package func create(
        regionID: String, name: String, description: String = "", versions: [String], ciphers: [String]
    ) async throws -> TLSCipherPolicy {
        _ = try await RegionService(store: self.store).require(regionID)
        try Self.validateName(name)
        guard description.count <= 255 else { throw ControlPlaneError.invalidParameter(name: "description", reason: "at most 255 characters") }
        let parsed = try TLSPolicies.validateCustom(versions: versions, ciphers: ciphers)
        let record = TLSPolicyRecord(
            id: "tls-" + Identifiers.lowercaseAlphanumeric(24), regionID: regionID, name: name, description: description,
            tlsVersions: try JSONCoding.encode(parsed.map(\.rawValue)), ciphers: try JSONCoding.encode(ciphers),
            createdAt: Int64(Date().timeIntervalSince1970))
        try await self.store.tlsPolicies.insert(record)
        return try await self.get(record.id, regionID: regionID)
    }

    package func list(regionID: String) async throws -> [TLSCipherPolicy] {
        _ = try await RegionService(store: self.store).require(regionID)
        let listeners = try await self.store.loadBalancers.listeners(of: nil).map(ListenerService.listener)
        return try await self.store.tlsPolicies.list(regionID: regionID).map { try Self.model($0, listeners: listeners) }
    }

    package func get(_ id: String, regionID: String) async throws -> TLSCipherPolicy {
        guard let policy = try await self.list(regionID: regionID).first(where: { $0.id == id }) else {
            throw ControlPlaneError.tlsPolicyNotFound(id)
        }
        return policy
    }

    package func update(
        _ id: String, regionID: String, name: String, description: String? = nil, versions: [String], ciphers: [String]
    ) async throws {
        let current = try await self.get(id, regionID: regionID)
        try Self.validateName(name)
        let description = description ?? current.description
        guard description.count <= 255 else { throw ControlPlaneError.invalidParameter(name: "description", reason: "at most 255 characters") }
        let parsed = try TLSPolicies.validateCustom(versions: versions, ciphers: ciphers)
        try await self.store.tlsPolicies.update(TLSPolicyRecord(
            id: id, regionID: regionID, name: name, description: description, tlsVersions: try JSONCoding.encode(parsed.map(\.rawValue)),
            ciphers: try JSONCoding.encode(ciphers), createdAt: Int64(current.createdAt.timeIntervalSince1970)))
    }

    package func delete(_ id: String, regionID: String) async throws {
        let policy = try await self.get(id, regionID: regionID)
        guard policy.listeners.isEmpty else { throw ControlPlaneError.tlsPolicyInUse(id) }
        try await self.store.tlsPolicies.delete(id)
    }

    /// A system policy name or a custom policy id of the region, compiled for the data plane.
    package func resolve(_ name: String, regionID: String) async throws -> TLSPolicy {
        if let system = TLSPolicies.system[name] {
            return try TLSPolicies.compile(name: name, versions: system.versions, ciphers: system.ciphers)
        }
        guard let record = try await self.store.tlsPolicies.get(name), record.regionID == regionID else {
            throw ControlPlaneError.tlsPolicyNotFound(name)
        }
        let versions = try JSONCoding.decode([String].self, record.tlsVersions).compactMap(TLSPolicy.Version.init(rawValue:))
        return try TLSPolicies.compile(name: record.id, versions: versions, ciphers: try JSONCoding.decode([String].self, record.ciphers))
    }

    private static func model(_ record: TLSPolicyRecord, listeners: [Listener]) throws -> TLSCipherPolicy {
        TLSCipherPolicy(
            id: record.id, regionID: record.regionID, name: record.name, description: record.description,
            versions: try JSONCoding.decode([String].self, record.tlsVersions).compactMap(TLSPolicy.Version.init(rawValue:)),
            ciphers: try JSONCoding.decode([String].self, record.ciphers),
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            listeners: listeners.filter { $0.tlsPolicy == record.id })
    }
}
