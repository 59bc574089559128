import ControlPlane
import Foundation
import HTTPTypes

/// ELB v3 load balancers (`/loadbalancers`): the same load balancers the CLB front manages, in the project's
/// region. The VIP is one of this node's `--lb-address` addresses.
enum LoadBalancerRoutes {
    static func routes(_ base: String) -> [(HTTPRequest.Method, String, HuaweiAPI.Handler)] {
        [
            (.post, base + "/loadbalancers", Self.create),
            (.get, base + "/loadbalancers", Self.list),
            (.get, base + "/loadbalancers/:loadbalancer_id", Self.show),
            (.put, base + "/loadbalancers/:loadbalancer_id", Self.update),
            (.delete, base + "/loadbalancers/:loadbalancer_id", Self.delete),
        ]
    }

    struct Option: Decodable {
        var name: String?
        var description: String?
        var vipAddress: String?
        var vipSubnetCIDRID: String?
        var availabilityZoneList: [String]?
        var deletionProtectionEnable: Bool?
        var tags: [TagOption]?

        enum CodingKeys: String, CodingKey {
            case name, description, tags
            case vipAddress = "vip_address"
            case vipSubnetCIDRID = "vip_subnet_cidr_id"
            case availabilityZoneList = "availability_zone_list"
            case deletionProtectionEnable = "deletion_protection_enable"
        }
    }

    struct TagOption: Decodable {
        var key: String
        var value: String?
    }

    struct Envelope: Decodable {
        var loadbalancer: Option
    }

    static func create(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).loadbalancer
        var settings = LoadBalancerSettings()
        settings.description = option.description ?? ""
        settings.vSwitchID = option.vipSubnetCIDRID ?? ""
        settings.masterZoneID = option.availabilityZoneList?.first ?? ""
        settings.slaveZoneID = option.availabilityZoneList?.dropFirst().first ?? ""
        settings.deleteProtection = option.deletionProtectionEnable == true ? "on" : "off"
        let balancer = try await call.loadBalancers.create(
            regionID: call.region.id, name: option.name ?? "", settings: settings,
            tags: (option.tags ?? []).map { Tag(key: $0.key, value: $0.value ?? "") }, address: option.vipAddress, freeName: true)
        return (.created, try await Self.envelope(balancer, call))
    }

    static func show(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        (.ok, try await Self.envelope(try await Self.find(call), call))
    }

    static func list(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let context = try await Context(call)
        let objects = try await call.loadBalancers.list(regionID: call.region.id).map { Self.object($0, context, call) }
        return (.ok, try Listing.page(objects, call: call, collection: "loadbalancers"))
    }

    static func update(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let balancer = try await Self.find(call)
        let option = try call.decode(Envelope.self).loadbalancer
        if let name = option.name { try await call.loadBalancers.rename(balancer.id, regionID: call.region.id, to: name, freeName: true) }
        try await call.loadBalancers.update(balancer.id, regionID: call.region.id) { settings in
            if let description = option.description { settings.description = description }
            if let protection = option.deletionProtectionEnable { settings.deleteProtection = protection ? "on" : "off" }
        }
        return (.ok, try await Self.envelope(try await Self.find(call), call))
    }

    /// Deletes a load balancer that has no listeners and no pools left (ELB requires removing them first).
    static func delete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let balancer = try await Self.find(call)
        let context = try await Context(call)
        let listeners = context.listeners.filter { $0.loadBalancerID == balancer.id }
        guard listeners.isEmpty else {
            throw ControlPlaneError.conflict("loadbalancer \(balancer.id) still has listeners: \(listeners.map(\.resourceID).joined(separator: ", "))")
        }
        let pools = context.pools.filter { $0.loadBalancerID == balancer.id }
        guard pools.isEmpty else {
            throw ControlPlaneError.conflict("loadbalancer \(balancer.id) still has pools: \(pools.map(\.id).joined(separator: ", "))")
        }
        try await call.loadBalancers.delete(balancer.id, regionID: call.region.id)
        return (.noContent, nil)
    }

    // MARK: - Shapes

    /// The listeners and pools of the region, for the references every load balancer carries.
    struct Context {
        var listeners: [Listener]
        var pools: [ServerGroup]

        init(_ call: HuaweiAPI.Call) async throws {
            self.listeners = try await call.listeners.list(regionID: call.region.id, loadBalancerIDs: [])
            self.pools = try await call.serverGroups.list(regionID: call.region.id)
        }
    }

    private static func find(_ call: HuaweiAPI.Call) async throws -> LoadBalancer {
        try await call.loadBalancers.get(call.parameter("loadbalancer_id"), regionID: call.region.id)
    }

    private static func envelope(_ balancer: LoadBalancer, _ call: HuaweiAPI.Call) async throws -> Data {
        try JSONSerialization.data(withJSONObject: ["loadbalancer": Self.object(balancer, try await Context(call), call)])
    }

    /// LoadBalancer.
    static func object(_ balancer: LoadBalancer, _ context: Context, _ call: HuaweiAPI.Call) -> [String: Any] {
        let settings = balancer.settings
        let zones = [settings.masterZoneID, settings.slaveZoneID].filter { !$0.isEmpty }
        return [
            "id": balancer.id, "name": balancer.name, "description": settings.description ?? "",
            "vip_address": balancer.address, "vip_port_id": "", "vip_subnet_cidr_id": settings.vSwitchID,
            "ipv6_vip_address": NSNull(), "provider": "vlb", "provisioning_status": "ACTIVE",
            "operating_status": balancer.status == "active" ? "ONLINE" : "OFFLINE", "admin_state_up": balancer.status == "active",
            "listeners": Listing.references(context.listeners.filter { $0.loadBalancerID == balancer.id }.map(\.resourceID)),
            "pools": Listing.references(context.pools.filter { $0.loadBalancerID == balancer.id }.map(\.id)),
            "project_id": call.region.projectID, "enterprise_project_id": "0", "availability_zone_list": zones,
            "guaranteed": true, "ip_target_enable": false, "deletion_protection_enable": settings.deleteProtection == "on",
            "tags": balancer.tags.map { ["key": $0.key, "value": $0.value] }, "eips": [Any](), "publicips": [Any](),
            "elb_virsubnet_ids": [Any](), "created_at": Listing.time(balancer.createdAt), "updated_at": Listing.time(balancer.createdAt),
        ]
    }
}
