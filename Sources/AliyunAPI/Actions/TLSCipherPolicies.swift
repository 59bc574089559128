import ControlPlane
import Foundation

/// Custom TLS cipher policies. Names BoringSSL lacks are accepted as documented but not offered (see README).
enum CreateTLSCipherPolicy: Action {
    static let name = "CreateTLSCipherPolicy"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let p = context.parameters
        let policy = try await context.tlsPolicies.create(
            regionID: context.regionID, name: try p.required("Name"), versions: try p.list("TLSVersions", limit: 4),
            ciphers: try p.list("Ciphers", limit: 32))
        return [("TLSCipherPolicyId", .string(policy.id))]
    }
}

/// Lists custom policies with plain arrays (the one CLB list without the double wrapping).
enum ListTLSCipherPolicies: Action {
    static let name = "ListTLSCipherPolicies"

    // Swift 6.3.1 crashes (signal 11, "While splitting coroutine") optimizing this handler in release builds.
    @_optimize(none)
    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let p = context.parameters
        var policies = try await context.tlsPolicies.list(regionID: context.regionID)
        if let id = p.optional("TLSCipherPolicyId") { policies = policies.filter { $0.id == id } }
        if let name = p.optional("Name") { policies = policies.filter { $0.name == name } }
        let includeListeners = try p.bool("IncludeListener") ?? false
        let maxItems = try p.int("MaxItems") ?? 20
        guard (1...100).contains(maxItems) else { throw AliyunError.invalidParameter("MaxItems", "1 to 100") }
        let start = Int(p.optional("NextToken") ?? "0") ?? 0
        let page = Array(policies.dropFirst(start).prefix(maxItems))
        return Self.members(page: page, total: policies.count, start: start, includeListeners: includeListeners)
    }

    /// Builds the response members (kept out of the async handler, which the optimizer cannot compile).
    private static func members(page: [TLSCipherPolicy], total: Int, start: Int, includeListeners: Bool) -> [(String, JSON)] {
        let truncated = start + page.count < total
        var policies: [JSON] = []
        for policy in page {
            var related: [JSON] = []
            if includeListeners {
                for listener in policy.listeners {
                    related.append(["LoadBalancerId": .string(listener.loadBalancerID), "Port": .number(Int64(listener.port)),
                                    "Protocol": .string(listener.protocol.rawValue.uppercased())])
                }
            }
            policies.append(.object([
                ("InstanceId", .string(policy.id)), ("Name", .string(policy.name)), ("Status", "normal"),
                ("CreateTime", .number(Int64(policy.createdAt.timeIntervalSince1970) * 1000)),
                ("TLSVersions", .array(policy.versions.map { .string($0.rawValue) })),
                ("Ciphers", .array(policy.ciphers.map { .string($0) })),
                ("RelateListeners", .array(related)),
            ]))
        }
        return [
            ("TLSCipherPolicies", .array(policies)), ("TotalCount", .number(Int64(total))), ("IsTruncated", .bool(truncated)),
            ("NextToken", .string(truncated ? String(start + page.count) : "")),
        ]
    }
}

/// Replaces a custom policy's name, versions and ciphers; listeners using it pick it up at once.
enum SetTLSCipherPolicyAttribute: Action {
    static let name = "SetTLSCipherPolicyAttribute"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let p = context.parameters
        try await context.tlsPolicies.update(
            try p.required("TLSCipherPolicyId"), regionID: context.regionID, name: try p.required("Name"),
            versions: try p.list("TLSVersions", limit: 4), ciphers: try p.list("Ciphers", limit: 32))
        return [("TaskId", .string(UUID().uuidString))]
    }
}

/// Deletes a custom policy no listener uses.
enum DeleteTLSCipherPolicy: Action {
    static let name = "DeleteTLSCipherPolicy"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.tlsPolicies.delete(try context.parameters.required("TLSCipherPolicyId"), regionID: context.regionID)
        return []
    }
}
