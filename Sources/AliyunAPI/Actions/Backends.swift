import ControlPlane

/// The `BackendServers` JSON parameter: `[{"ServerId","Weight","Type","ServerIp","Description"}]`.
extension RPCParameters {
    func backends() throws(AliyunError) -> [LoadBalancerService.BackendInput] {
        guard let objects = try self.jsonObjects("BackendServers") else { throw .missingParameter("BackendServers") }
        var inputs: [LoadBalancerService.BackendInput] = []
        for object in objects {
            guard let id = object["ServerId"], !id.isEmpty else { throw .missingParameter("BackendServers.ServerId") }
            var weight: Int?
            if let text = object["Weight"] {
                guard let value = Int(text) else { throw .invalidParameter("Weight", "must be an integer from 0 to 100") }
                weight = value
            }
            inputs.append(.init(serverID: id, type: object["Type"] ?? "ecs", ip: object["ServerIp"], weight: weight,
                                description: object["Description"]))
        }
        return inputs
    }
}

/// Attaches backend servers; `ecs` ids must be registered with `gatehouse server add ID IP`, `eni`/`eci`/`ip`
/// entries carry `ServerIp`.
enum AddBackendServers: Action {
    static let name = "AddBackendServers"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let id = try context.parameters.required("LoadBalancerId")
        _ = try await context.loadBalancers.addBackends(id, regionID: context.regionID, try context.parameters.backends())
        return try await Self.echo(context, id)
    }

    /// `LoadBalancerId` and the load balancer's backends after the change.
    static func echo(_ context: ActionContext, _ id: String) async throws -> [(String, JSON)] {
        let balancer = try await context.loadBalancers.get(id, regionID: context.regionID)
        return [("LoadBalancerId", .string(id)), ("BackendServers", balancer.clbBackends)]
    }
}

/// Detaches backend servers.
enum RemoveBackendServers: Action {
    static let name = "RemoveBackendServers"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let id = try context.parameters.required("LoadBalancerId")
        _ = try await context.loadBalancers.removeBackends(
            id, regionID: context.regionID, serverIDs: try context.parameters.backends().map(\.serverID))
        return try await AddBackendServers.echo(context, id)
    }
}

/// Changes the weights of attached backend servers.
enum SetBackendServers: Action {
    static let name = "SetBackendServers"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let id = try context.parameters.required("LoadBalancerId")
        _ = try await context.loadBalancers.setBackends(id, regionID: context.regionID, try context.parameters.backends())
        return try await AddBackendServers.echo(context, id)
    }
}

/// Backend health per listener: `normal`, `abnormal`, or `unavailable` (no check completed, or stopped).
enum DescribeHealthStatus: Action {
    static let name = "DescribeHealthStatus"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let id = try context.parameters.required("LoadBalancerId")
        let port = try context.parameters.int("ListenerPort")
        let rows = try await context.listeners.health(loadBalancerID: id, regionID: context.regionID, port: port)
        let wantedProtocol = context.parameters.optional("ListenerProtocol")?.lowercased()
        return [("BackendServers", .wrapped("BackendServer", rows.filter { wantedProtocol == nil || $0.0.protocol.rawValue == wantedProtocol }
            .flatMap { listener, health in
                health.map { backend -> JSON in
                    ["ServerId": .string(backend.serverID), "ServerIp": .string(backend.ip), "Port": .number(Int64(backend.port)),
                     "ListenerPort": .number(Int64(listener.port)), "Protocol": .string(listener.protocol.rawValue),
                     "ServerHealthStatus": .string(backend.status.rawValue)]
                }
            }))]
    }
}
