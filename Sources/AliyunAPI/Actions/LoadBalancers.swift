import ControlPlane
import Foundation

/// Creates a load balancer; its `Address` comes from the `--lb-address` pool.
enum CreateLoadBalancer: Action {
    static let name = "CreateLoadBalancer"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let p = context.parameters
        var settings = LoadBalancerSettings()
        if let value = p.optional("AddressType") { settings.addressType = value }
        if let value = p.optional("AddressIPVersion") { settings.addressIPVersion = value }
        if let value = p.optional("VpcId") { settings.vpcID = value; settings.networkType = "vpc" }
        if let value = p.optional("VSwitchId") { settings.vSwitchID = value; settings.networkType = "vpc" }
        if let value = p.optional("LoadBalancerSpec") { settings.specification = value }
        if let value = p.optional("PayType") { settings.payType = value }
        if let value = p.optional("InstanceChargeType") { settings.instanceChargeType = value }
        if let value = p.optional("InternetChargeType") { settings.internetChargeType = value }
        if let value = try p.int("Bandwidth") { settings.bandwidth = value }
        if let value = p.optional("MasterZoneId") { settings.masterZoneID = value }
        if let value = p.optional("SlaveZoneId") { settings.slaveZoneID = value }
        if let value = p.optional("ResourceGroupId") { settings.resourceGroupID = value }
        if let value = try p.onOff("DeleteProtection") { settings.deleteProtection = value ? "on" : "off" }
        if let value = p.optional("ModificationProtectionStatus") { settings.modificationProtectionStatus = value }
        if let value = p.optional("ModificationProtectionReason") { settings.modificationProtectionReason = value }
        let balancer = try await context.loadBalancers.create(
            regionID: context.regionID, name: p.optional("LoadBalancerName"), settings: settings, tags: try p.tags())
        return [
            ("LoadBalancerId", .string(balancer.id)), ("LoadBalancerName", .string(balancer.name)),
            ("Address", .string(balancer.address)), ("AddressIPVersion", .string(settings.addressIPVersion)),
            ("NetworkType", .string(settings.networkType)), ("VpcId", .string(settings.vpcID)),
            ("VSwitchId", .string(settings.vSwitchID)), ("ResourceGroupId", .string(settings.resourceGroupID)),
            ("OrderId", 0),
        ]
    }
}

/// Lists load balancers: `LoadBalancerId` takes up to 10 comma-separated ids; `PageNumber`/`PageSize` page.
enum DescribeLoadBalancers: Action {
    static let name = "DescribeLoadBalancers"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let p = context.parameters
        let ids = (p.optional("LoadBalancerId") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var balancers = try await context.loadBalancers.list(regionID: context.regionID, ids: ids)
        if let name = p.optional("LoadBalancerName") { balancers = balancers.filter { $0.name == name } }
        if let address = p.optional("Address") { balancers = balancers.filter { $0.address == address } }
        if let status = p.optional("LoadBalancerStatus") { balancers = balancers.filter { $0.status == status } }
        let wanted = try p.tags() + (try p.jsonObjects("Tags") ?? []).compactMap { object in
            object["TagKey"].map { Tag(key: $0, value: object["TagValue"] ?? "") }
        }
        balancers = balancers.filter { balancer in
            wanted.allSatisfy { tag in balancer.tags.contains { $0.key == tag.key && (tag.value.isEmpty || $0.value == tag.value) } }
        }
        let pageSize = try p.int("PageSize") ?? 10
        let pageNumber = try p.int("PageNumber") ?? 1
        guard (1...100).contains(pageSize) else { throw AliyunError.invalidParameter("PageSize", "1 to 100") }
        guard pageNumber >= 1 else { throw AliyunError.invalidParameter("PageNumber", "1 or more") }
        let page = balancers.dropFirst((pageNumber - 1) * pageSize).prefix(pageSize)
        return [
            ("LoadBalancers", .wrapped("LoadBalancer", page.map { .object($0.clbFields + [("Tags", $0.clbTags)]) })),
            ("PageNumber", .number(Int64(pageNumber))), ("PageSize", .number(Int64(pageSize))),
            ("TotalCount", .number(Int64(balancers.count))),
        ]
    }
}

/// One load balancer with its backends and listener ports.
enum DescribeLoadBalancerAttribute: Action {
    static let name = "DescribeLoadBalancerAttribute"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let id = try context.parameters.required("LoadBalancerId")
        let balancer = try await context.loadBalancers.get(id, regionID: context.regionID)
        let listeners = try await context.listeners.list(regionID: context.regionID, loadBalancerIDs: [id])
        return balancer.clbFields + [
            ("Tags", balancer.clbTags), ("BackendServers", balancer.clbBackends),
            ("ListenerPorts", .wrapped("ListenerPort", listeners.map { .number(Int64($0.port)) })),
            ("ListenerPortsAndProtocol", .wrapped("ListenerPortAndProtocol", listeners.map {
                ["ListenerPort": .number(Int64($0.port)), "ListenerProtocol": .string($0.protocol.rawValue),
                 "Description": .string($0.settings.description)]
            })),
            ("ListenerPortsAndProtocal", .wrapped("ListenerPortAndProtocal", listeners.map {
                ["ListenerPort": .number(Int64($0.port)), "ListenerProtocal": .string($0.protocol.rawValue)]
            })),
        ]
    }
}

/// Deletes a load balancer with its listeners, backends and tags.
enum DeleteLoadBalancer: Action {
    static let name = "DeleteLoadBalancer"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.loadBalancers.delete(try context.parameters.required("LoadBalancerId"), regionID: context.regionID)
        return []
    }
}

/// Renames a load balancer.
enum SetLoadBalancerName: Action {
    static let name = "SetLoadBalancerName"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.loadBalancers.rename(
            try context.parameters.required("LoadBalancerId"), regionID: context.regionID,
            to: try context.parameters.required("LoadBalancerName"))
        return []
    }
}
