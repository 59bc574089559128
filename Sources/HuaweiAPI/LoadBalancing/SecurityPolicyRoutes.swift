import ControlPlane
import Foundation
import HTTPTypes

/// ELB v3 TLS security policies: the system policies (`/system-security-policies`) and custom ones
/// (`/security-policies`), stored with the CLB custom TLS cipher policies (one table, both fronts).
enum SecurityPolicyRoutes {
    static func routes(_ base: String) -> [(HTTPRequest.Method, String, HuaweiAPI.Handler)] {
        [
            (.get, base + "/system-security-policies", Self.listSystem),
            (.post, base + "/security-policies", Self.create),
            (.get, base + "/security-policies", Self.list),
            (.get, base + "/security-policies/:security_policy_id", Self.show),
            (.put, base + "/security-policies/:security_policy_id", Self.update),
            (.delete, base + "/security-policies/:security_policy_id", Self.delete),
        ]
    }

    struct Option: Decodable {
        var name: String?
        var description: String?
        var protocols: [String]?
        var ciphers: [String]?
    }

    struct Envelope: Decodable {
        var securityPolicy: Option

        enum CodingKeys: String, CodingKey { case securityPolicy = "security_policy" }
    }

    /// ELB spells TLS 1.0 `TLSv1`.
    private static func wireName(_ version: TLSPolicy.Version) -> String { version == .tls10 ? "TLSv1" : version.rawValue }
    private static func version(_ wire: String) -> String { wire == "TLSv1" ? TLSPolicy.Version.tls10.rawValue : wire }

    static func listSystem(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let policies: [[String: Any]] = TLSPolicies.elbSystemPolicyNames.compactMap { name in
            guard let policy = TLSPolicies.system[name] else { return nil }
            return [
                "name": name, "project_id": call.region.projectID,
                "protocols": policy.versions.sorted(by: >).map(Self.wireName).joined(separator: " "),
                "ciphers": policy.ciphers.joined(separator: ":"),
            ]
        }
        return (.ok, try JSONSerialization.data(withJSONObject: ["system_security_policies": policies]))
    }

    static func create(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).securityPolicy
        guard let protocols = option.protocols, let ciphers = option.ciphers else { throw HuaweiError.invalid("protocols and ciphers are required.") }
        let policy = try await call.tlsPolicies.create(
            regionID: call.region.id, name: option.name ?? "security_policy", description: option.description ?? "",
            versions: protocols.map(Self.version), ciphers: ciphers)
        return (.created, try Self.envelope(policy, call))
    }

    static func show(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        (.ok, try Self.envelope(try await call.tlsPolicies.get(call.parameter("security_policy_id"), regionID: call.region.id), call))
    }

    static func list(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let objects = try await call.tlsPolicies.list(regionID: call.region.id).map { Self.object($0, call) }
        return (.ok, try Listing.page(objects, call: call, collection: "security_policies"))
    }

    static func update(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let id = call.parameter("security_policy_id")
        let current = try await call.tlsPolicies.get(id, regionID: call.region.id)
        let option = try call.decode(Envelope.self).securityPolicy
        try await call.tlsPolicies.update(
            id, regionID: call.region.id, name: option.name ?? current.name, description: option.description,
            versions: option.protocols.map { $0.map(Self.version) } ?? current.versions.map(\.rawValue),
            ciphers: option.ciphers ?? current.ciphers)
        return (.ok, try Self.envelope(try await call.tlsPolicies.get(id, regionID: call.region.id), call))
    }

    static func delete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        try await call.tlsPolicies.delete(call.parameter("security_policy_id"), regionID: call.region.id)
        return (.noContent, nil)
    }

    private static func envelope(_ policy: TLSCipherPolicy, _ call: HuaweiAPI.Call) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["security_policy": Self.object(policy, call)])
    }

    /// SecurityPolicy.
    private static func object(_ policy: TLSCipherPolicy, _ call: HuaweiAPI.Call) -> [String: Any] {
        [
            "id": policy.id, "name": policy.name, "description": policy.description,
            "protocols": policy.versions.map(Self.wireName), "ciphers": policy.ciphers,
            "listeners": Listing.references(policy.listeners.map(\.resourceID)), "project_id": call.region.projectID,
            "created_at": Listing.time(policy.createdAt), "updated_at": Listing.time(policy.createdAt),
        ]
    }
}
