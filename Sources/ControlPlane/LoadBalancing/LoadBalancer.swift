package import Foundation

/// A load balancer: an address in a region, with backend servers and listeners.
package struct LoadBalancer: Hashable, Sendable {
    package var id: String
    package var regionID: String
    package var name: String
    /// The IP address its listeners bind, from the `--lb-address` pool.
    package var address: String
    /// `active` or `inactive`.
    package var status: String
    package var settings: LoadBalancerSettings
    package var createdAt: Date
    package var backends: [Backend]
    package var tags: [Tag]
}

/// Load balancer attributes the API accepts and echoes. Only `address` matters to the data plane; the rest keeps
/// SDK callers and tools such as Terraform consistent.
package struct LoadBalancerSettings: Hashable, Sendable, Codable {
    package var addressType = "intranet"
    package var networkType = "classic"
    package var addressIPVersion = "ipv4"
    package var vpcID = ""
    package var vSwitchID = ""
    package var specification = ""
    package var payType = "PayOnDemand"
    package var instanceChargeType = "PayBySpec"
    package var internetChargeType = "paybytraffic"
    package var bandwidth = -1
    package var masterZoneID = ""
    package var slaveZoneID = ""
    package var resourceGroupID = ""
    package var deleteProtection = "off"
    package var modificationProtectionStatus = "NonProtection"
    package var modificationProtectionReason = ""
    /// ELB `description` (optional so that settings stored before it existed still decode).
    package var description: String?

    package init() {}
}

/// A backend server of a load balancer.
package struct Backend: Hashable, Sendable {
    /// `ecs` (a server registered with `gatehouse server add`), `eni`, `eci` or `ip`.
    package var serverID: String
    package var type: String
    package var ip: String
    /// 0-100; 0 takes the server out of rotation.
    package var weight: Int
    package var description: String

    package init(serverID: String, type: String, ip: String, weight: Int, description: String) {
        self.serverID = serverID
        self.type = type
        self.ip = ip
        self.weight = weight
        self.description = description
    }
}

/// A domain extension: an additional certificate for one domain on an HTTPS listener.
package struct DomainExtension: Hashable, Sendable {
    package var id: String
    package var loadBalancerID: String
    package var listenerPort: Int
    package var domain: String
    package var serverCertificateID: String
}
