import ControlPlane

/// Create*Listener for each protocol: a new listener is `stopped`.
protocol CreateListenerAction: Action {
    static var listenerProtocol: ListenerProtocol { get }
}

extension CreateListenerAction {
    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        var settings = ListenerSettings()
        var certificates = ListenerService.Certificates()
        if Self.listenerProtocol == .tcp { settings.healthCheck.enabled = true }
        try context.parameters.apply(to: &settings, &certificates)
        if context.parameters["BackendServerPort"] == nil, context.parameters.optional("VServerGroupId") == nil {
            throw AliyunError.missingParameter("BackendServerPort")
        }
        _ = try await context.listeners.create(
            loadBalancerID: id, regionID: context.regionID, port: port, protocol: Self.listenerProtocol, settings: settings,
            certificates: certificates)
        return []
    }
}

enum CreateLoadBalancerHTTPSListener: CreateListenerAction {
    static let name = "CreateLoadBalancerHTTPSListener"
    static let listenerProtocol = ListenerProtocol.https
}

enum CreateLoadBalancerHTTPListener: CreateListenerAction {
    static let name = "CreateLoadBalancerHTTPListener"
    static let listenerProtocol = ListenerProtocol.http
}

enum CreateLoadBalancerTCPListener: CreateListenerAction {
    static let name = "CreateLoadBalancerTCPListener"
    static let listenerProtocol = ListenerProtocol.tcp
}

/// Set*ListenerAttribute: changes only what the call carries; a running listener applies it live.
protocol SetListenerAction: Action {
    static var listenerProtocol: ListenerProtocol { get }
}

extension SetListenerAction {
    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        let parameters = context.parameters
        try await context.listeners.update(loadBalancerID: id, regionID: context.regionID, port: port, protocol: Self.listenerProtocol) {
            settings, certificates in
            try parameters.apply(to: &settings, &certificates)
        }
        return []
    }
}

enum SetLoadBalancerHTTPSListenerAttribute: SetListenerAction {
    static let name = "SetLoadBalancerHTTPSListenerAttribute"
    static let listenerProtocol = ListenerProtocol.https
}

enum SetLoadBalancerHTTPListenerAttribute: SetListenerAction {
    static let name = "SetLoadBalancerHTTPListenerAttribute"
    static let listenerProtocol = ListenerProtocol.http
}

enum SetLoadBalancerTCPListenerAttribute: SetListenerAction {
    static let name = "SetLoadBalancerTCPListenerAttribute"
    static let listenerProtocol = ListenerProtocol.tcp
}

/// Describe*ListenerAttribute: the flat attribute shape; HTTPS adds its certificates and domain extensions.
protocol DescribeListenerAction: Action {
    static var listenerProtocol: ListenerProtocol { get }
}

extension DescribeListenerAction {
    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        let listener = try await context.listeners.get(loadBalancerID: id, regionID: context.regionID, port: port)
        guard listener.protocol == Self.listenerProtocol else {
            throw AliyunError(ControlPlaneError.listenerNotFound(loadBalancerID: id, port: port))
        }
        var fields = listener.clbAttributes.filter { $0.0 != "ListenerProtocol" } + [("AclIds", .wrapped("AclId", []))]
        if Self.listenerProtocol == .https {
            let extensions = try await context.domainExtensions.list(loadBalancerID: id, regionID: context.regionID, port: port, id: nil)
            fields.append(("DomainExtensions", .wrapped("DomainExtension", extensions.map(\.clbFields).map { .object($0) })))
            fields.append(("Rules", .wrapped("Rule", [])))
        }
        let tags = try await context.tags.list(type: "listener", regionID: context.regionID, resourceIDs: [listener.resourceID], tags: [])
        fields.append(("Tags", .wrapped("Tag", tags.map { ["TagKey": .string($0.tag.key), "TagValue": .string($0.tag.value)] })))
        return fields
    }
}

enum DescribeLoadBalancerHTTPSListenerAttribute: DescribeListenerAction {
    static let name = "DescribeLoadBalancerHTTPSListenerAttribute"
    static let listenerProtocol = ListenerProtocol.https
}

enum DescribeLoadBalancerHTTPListenerAttribute: DescribeListenerAction {
    static let name = "DescribeLoadBalancerHTTPListenerAttribute"
    static let listenerProtocol = ListenerProtocol.http
}

enum DescribeLoadBalancerTCPListenerAttribute: DescribeListenerAction {
    static let name = "DescribeLoadBalancerTCPListenerAttribute"
    static let listenerProtocol = ListenerProtocol.tcp
}

/// Starts a stopped listener; the port is bound before the call returns, or the call fails and it stays stopped.
enum StartLoadBalancerListener: Action {
    static let name = "StartLoadBalancerListener"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        try await context.listeners.start(loadBalancerID: id, regionID: context.regionID, port: port)
        return []
    }
}

/// Stops a listener: no new connections; open requests drain.
enum StopLoadBalancerListener: Action {
    static let name = "StopLoadBalancerListener"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        try await context.listeners.stop(loadBalancerID: id, regionID: context.regionID, port: port)
        return []
    }
}

/// Deletes a stopped or running listener with its domain extensions.
enum DeleteLoadBalancerListener: Action {
    static let name = "DeleteLoadBalancerListener"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let (id, port) = try context.parameters.listenerKey()
        try await context.listeners.delete(loadBalancerID: id, regionID: context.regionID, port: port)
        return []
    }
}

/// Listeners of load balancers, as a plain `Listeners[]` array with per-protocol config objects (SDK model).
enum DescribeLoadBalancerListeners: Action {
    static let name = "DescribeLoadBalancerListeners"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let p = context.parameters
        let ids = try p.list("LoadBalancerId") + [p.optional("LoadBalancerId")].compactMap { $0 }
        var listeners = try await context.listeners.list(regionID: context.regionID, loadBalancerIDs: ids)
        if let port = try p.int("ListenerPort") { listeners = listeners.filter { $0.port == port } }
        if let proto = p.optional("ListenerProtocol")?.lowercased() { listeners = listeners.filter { $0.protocol.rawValue == proto } }
        var rows: [JSON] = []
        for listener in listeners {
            let common: Set<String> = ["LoadBalancerId", "ListenerPort", "ListenerProtocol", "BackendServerPort", "Bandwidth", "Status",
                                       "Description", "Scheduler", "VServerGroupId", "AclStatus", "AclType", "AclId"]
            let attributes = listener.clbAttributes
            let config = JSON.object(attributes.filter { !common.contains($0.0) })
            let configKey = "\(listener.protocol.rawValue.uppercased())ListenerConfig"
            let tags = try await context.tags.list(type: "listener", regionID: context.regionID, resourceIDs: [listener.resourceID], tags: [])
            rows.append(.object(attributes.filter { common.contains($0.0) } + [
                (configKey, config), ("AclIds", .array([])),
                ("Tags", .array(tags.map { ["TagKey": .string($0.tag.key), "TagValue": .string($0.tag.value)] })),
            ]))
        }
        return [("Listeners", .array(rows)), ("TotalCount", .number(Int64(rows.count))), ("NextToken", ""),
                ("MaxResults", .number(Int64(try p.int("MaxResults") ?? rows.count)))]
    }
}
