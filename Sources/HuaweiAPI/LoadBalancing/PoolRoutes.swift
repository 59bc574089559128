import ControlPlane
import Foundation
import HTTPTypes

/// ELB v3 pools (`/pools`) and their members (`/pools/{pool_id}/members`): server groups whose members each have
/// their own address and port. A pool created with `listener_id` becomes that listener's default pool.
enum PoolRoutes {
    static func routes(_ base: String) -> [(HTTPRequest.Method, String, HuaweiAPI.Handler)] {
        [
            (.post, base + "/pools", Self.create),
            (.get, base + "/pools", Self.list),
            (.get, base + "/pools/:pool_id", Self.show),
            (.put, base + "/pools/:pool_id", Self.update),
            (.delete, base + "/pools/:pool_id", Self.delete),
            (.post, base + "/pools/:pool_id/members", Self.createMember),
            (.get, base + "/pools/:pool_id/members", Self.listMembers),
            (.get, base + "/pools/:pool_id/members/:member_id", Self.showMember),
            (.put, base + "/pools/:pool_id/members/:member_id", Self.updateMember),
            (.delete, base + "/pools/:pool_id/members/:member_id", Self.deleteMember),
        ]
    }

    struct Option: Decodable {
        var name: String?
        var description: String?
        var `protocol`: String?
        var lbAlgorithm: String?
        var listenerID: String?
        var loadbalancerID: String?
        var adminStateUp: Bool?

        enum CodingKeys: String, CodingKey {
            case name, description, `protocol`
            case lbAlgorithm = "lb_algorithm"
            case listenerID = "listener_id"
            case loadbalancerID = "loadbalancer_id"
            case adminStateUp = "admin_state_up"
        }
    }

    struct Envelope: Decodable {
        var pool: Option
    }

    struct MemberOption: Decodable {
        var name: String?
        var address: String?
        var protocolPort: Int?
        var weight: Int?
        var subnetCIDRID: String?
        var adminStateUp: Bool?

        enum CodingKeys: String, CodingKey {
            case name, address, weight
            case protocolPort = "protocol_port"
            case subnetCIDRID = "subnet_cidr_id"
            case adminStateUp = "admin_state_up"
        }
    }

    struct MemberEnvelope: Decodable {
        var member: MemberOption
    }

    // MARK: Pools

    static func create(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).pool
        guard let protocolName = option.protocol else { throw HuaweiError.invalid("protocol is required.") }
        let groupProtocol = try Self.groupProtocol(protocolName)
        let scheduler = try Self.scheduler(option.lbAlgorithm ?? "")
        var loadBalancerID = option.loadbalancerID
        var listenerPort: Int?
        if let listenerID = option.listenerID, !listenerID.isEmpty {
            let listener = try await Self.listener(listenerID, call)
            if let given = loadBalancerID, given != listener.loadBalancerID {
                throw HuaweiError.invalid("listener \(listenerID) does not belong to loadbalancer \(given).")
            }
            loadBalancerID = listener.loadBalancerID
            listenerPort = listener.port
        }
        guard let loadBalancerID, !loadBalancerID.isEmpty else { throw HuaweiError.invalid("listener_id or loadbalancer_id is required.") }
        let group = try await call.serverGroups.create(
            regionID: call.region.id, loadBalancerID: loadBalancerID, name: option.name ?? "", description: option.description ?? "",
            protocol: groupProtocol, scheduler: scheduler, listenerPort: listenerPort)
        return (.created, try Self.envelope(group, call))
    }

    static func show(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        (.ok, try Self.envelope(try await Self.find(call), call))
    }

    static func list(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let objects = try await call.serverGroups.list(regionID: call.region.id).map { Self.object($0, call) }
        return (.ok, try Listing.page(objects, call: call, collection: "pools"))
    }

    static func update(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let group = try await Self.find(call)
        let option = try call.decode(Envelope.self).pool
        if let name = option.protocol, try Self.groupProtocol(name) != group.protocol { throw HuaweiError.invalid("protocol cannot be changed.") }
        let updated = try await call.serverGroups.update(
            group.id, regionID: call.region.id, name: option.name, description: option.description,
            scheduler: try option.lbAlgorithm.map(Self.scheduler))
        return (.ok, try Self.envelope(updated, call))
    }

    static func delete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        try await call.serverGroups.delete(try await Self.find(call).id, regionID: call.region.id)
        return (.noContent, nil)
    }

    // MARK: Members

    static func createMember(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let group = try await Self.find(call)
        let option = try call.decode(MemberEnvelope.self).member
        guard let address = option.address else { throw HuaweiError.invalid("address is required.") }
        guard let port = option.protocolPort else { throw HuaweiError.invalid("protocol_port is required.") }
        if option.adminStateUp == false { throw HuaweiError.invalid("admin_state_up can only be true.") }
        let member = try await call.serverGroups.addMember(
            groupID: group.id, regionID: call.region.id, name: option.name ?? "", address: address, port: port, weight: option.weight,
            settings: ServerGroupMemberSettings(subnetID: option.subnetCIDRID))
        return (.created, try Self.memberEnvelope(member, group: try await Self.find(call), call))
    }

    static func showMember(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let group = try await Self.find(call)
        let member = try await call.serverGroups.member(call.parameter("member_id"), groupID: group.id, regionID: call.region.id)
        return (.ok, try Self.memberEnvelope(member, group: group, call))
    }

    static func listMembers(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let group = try await Self.find(call)
        let health = call.serverGroups.memberHealth(group)
        let objects = group.members.map { Self.memberObject($0, group: group, health: health[$0.id] ?? [], call) }
        return (.ok, try Listing.page(objects, call: call, collection: "members"))
    }

    static func updateMember(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let group = try await Self.find(call)
        let option = try call.decode(MemberEnvelope.self).member
        if option.adminStateUp == false { throw HuaweiError.invalid("admin_state_up can only be true.") }
        let member = try await call.serverGroups.updateMember(
            call.parameter("member_id"), groupID: group.id, regionID: call.region.id, name: option.name, weight: option.weight)
        return (.ok, try Self.memberEnvelope(member, group: group, call))
    }

    static func deleteMember(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let group = try await Self.find(call)
        try await call.serverGroups.deleteMember(call.parameter("member_id"), groupID: group.id, regionID: call.region.id)
        return (.noContent, nil)
    }

    // MARK: - Parameters

    private static func groupProtocol(_ name: String) throws -> ServerGroup.GroupProtocol {
        switch name.uppercased() {
        case "HTTP": return .http
        case "TCP": return .tcp
        case "HTTPS", "UDP", "QUIC", "TLS", "GRPC", "IP":
            throw ControlPlaneError.unsupported("pool protocol \(name) is not supported by this load balancer: HTTP or TCP.")
        default:
            throw HuaweiError.invalid("protocol \(name) is not valid: TCP, UDP, HTTP, HTTPS, QUIC, TLS, GRPC or IP.")
        }
    }

    private static func scheduler(_ name: String) throws -> Scheduler {
        switch name {
        case "ROUND_ROBIN": return .wrr
        case "LEAST_CONNECTIONS": return .wlc
        case "SOURCE_IP": return .sch
        case "QUIC_CID":
            throw ControlPlaneError.unsupported("lb_algorithm \(name) is not supported by this load balancer: ROUND_ROBIN, LEAST_CONNECTIONS or SOURCE_IP.")
        default:
            throw HuaweiError.invalid("lb_algorithm \(name) is not valid: ROUND_ROBIN, LEAST_CONNECTIONS, SOURCE_IP or QUIC_CID.")
        }
    }

    private static func listener(_ id: String, _ call: HuaweiAPI.Call) async throws -> Listener {
        guard let listener = try await call.listeners.list(regionID: call.region.id, loadBalancerIDs: []).first(where: { $0.resourceID == id })
        else { throw HuaweiError.notFound("listener", id) }
        return listener
    }

    // MARK: - Shapes

    private static func find(_ call: HuaweiAPI.Call) async throws -> ServerGroup {
        try await call.serverGroups.get(call.parameter("pool_id"), regionID: call.region.id)
    }

    private static func envelope(_ group: ServerGroup, _ call: HuaweiAPI.Call) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["pool": Self.object(group, call)])
    }

    /// Pool.
    private static func object(_ group: ServerGroup, _ call: HuaweiAPI.Call) -> [String: Any] {
        [
            "id": group.id, "name": group.name, "description": group.description, "protocol": group.protocol.rawValue.uppercased(),
            "lb_algorithm": group.scheduler == .wlc ? "LEAST_CONNECTIONS" : group.scheduler == .sch ? "SOURCE_IP" : "ROUND_ROBIN", "admin_state_up": true,
            "listeners": Listing.references(group.listenerIDs), "loadbalancers": Listing.references([group.loadBalancerID]),
            "loadbalancer_id": group.loadBalancerID, "listener_id": group.listenerIDs.first ?? NSNull(),
            "members": Listing.references(group.members.map(\.id)), "healthmonitor_id": group.healthMonitor?.id ?? NSNull(),
            "project_id": call.region.projectID, "enterprise_project_id": "0", "session_persistence": NSNull(), "ip_version": "dualstack",
            "slow_start": NSNull(), "member_deletion_protection_enable": false, "type": "", "vpc_id": "", "any_port_enable": false,
            "protection_status": "nonProtection", "protection_reason": "",
            "created_at": Listing.time(group.createdAt), "updated_at": Listing.time(group.updatedAt),
        ]
    }

    private static func memberEnvelope(_ member: ServerGroupMember, group: ServerGroup, _ call: HuaweiAPI.Call) throws -> Data {
        let health = call.serverGroups.memberHealth(group)[member.id] ?? []
        return try JSONSerialization.data(withJSONObject: ["member": Self.memberObject(member, group: group, health: health, call)])
    }

    /// Member. `operating_status`: `NO_MONITOR` without a health monitor, else `ONLINE` when healthy on every
    /// listener of the pool and `OFFLINE` otherwise (also before the first check completes).
    private static func memberObject(
        _ member: ServerGroupMember, group: ServerGroup, health: [(listenerID: String, status: BackendHealth.Status)],
        _ call: HuaweiAPI.Call
    ) -> [String: Any] {
        func status(_ value: BackendHealth.Status) -> String {
            guard group.healthMonitor != nil else { return "NO_MONITOR" }
            return value == .normal ? "ONLINE" : "OFFLINE"
        }
        let overall = group.healthMonitor == nil ? "NO_MONITOR" : (!health.isEmpty && health.allSatisfy { $0.status == .normal } ? "ONLINE" : "OFFLINE")
        return [
            "id": member.id, "name": member.name, "address": member.address, "protocol_port": member.port, "weight": member.weight,
            "admin_state_up": true, "subnet_cidr_id": member.settings.subnetID ?? "", "project_id": call.region.projectID,
            "pool_id": group.id, "operating_status": overall,
            "status": health.map { ["listener_id": $0.listenerID, "operating_status": status($0.status)] },
            "ip_version": member.address.contains(":") ? "v6" : "v4", "member_type": "ip", "instance_id": "",
            "created_at": Listing.time(member.createdAt), "updated_at": Listing.time(member.updatedAt),
        ]
    }
}
