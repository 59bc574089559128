/// A load balancer. `settings` is the control plane's JSON for everything that is only echoed.
package struct LoadBalancerRecord: Hashable, Sendable, Codable {
    package var id: String
    package var regionID: String
    package var name: String
    package var address: String
    /// `active` or `inactive` (CLB `LoadBalancerStatus`).
    package var status: String
    package var settings: String
    package var createdAt: Int64

    package init(id: String, regionID: String, name: String, address: String, status: String, settings: String, createdAt: Int64) {
        self.id = id
        self.regionID = regionID
        self.name = name
        self.address = address
        self.status = status
        self.settings = settings
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, address, status, settings
        case regionID = "region_id"
        case createdAt = "created_at"
    }
}

/// A backend server of a load balancer.
package struct BackendServerRecord: Hashable, Sendable, Codable {
    package var loadBalancerID: String
    package var serverID: String
    /// `ecs`, `eni`, `eci` or `ip`.
    package var type: String
    package var serverIP: String
    package var weight: Int
    package var description: String

    package init(loadBalancerID: String, serverID: String, type: String, serverIP: String, weight: Int, description: String) {
        self.loadBalancerID = loadBalancerID
        self.serverID = serverID
        self.type = type
        self.serverIP = serverIP
        self.weight = weight
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case type, weight, description
        case loadBalancerID = "load_balancer_id"
        case serverID = "server_id"
        case serverIP = "server_ip"
    }
}

/// A listener: `(load balancer, port)` is its key.
package struct ListenerRecord: Hashable, Sendable, Codable {
    package var loadBalancerID: String
    package var port: Int
    /// `http`, `https` or `tcp`.
    package var `protocol`: String
    /// `stopped` or `running`.
    package var status: String
    package var serverCertificateID: String?
    package var caCertificateID: String?
    /// A system policy name or a custom policy id.
    package var tlsPolicy: String?
    package var settings: String
    package var createdAt: Int64

    package init(
        loadBalancerID: String, port: Int, protocol: String, status: String, serverCertificateID: String?,
        caCertificateID: String?, tlsPolicy: String?, settings: String, createdAt: Int64
    ) {
        self.loadBalancerID = loadBalancerID
        self.port = port
        self.protocol = `protocol`
        self.status = status
        self.serverCertificateID = serverCertificateID
        self.caCertificateID = caCertificateID
        self.tlsPolicy = tlsPolicy
        self.settings = settings
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case port, `protocol`, status, settings
        case loadBalancerID = "load_balancer_id"
        case serverCertificateID = "server_certificate_id"
        case caCertificateID = "ca_certificate_id"
        case tlsPolicy = "tls_policy"
        case createdAt = "created_at"
    }
}

/// A domain extension: an extra certificate for one domain on an HTTPS listener (SNI).
package struct DomainExtensionRecord: Hashable, Sendable, Codable {
    package var id: String
    package var loadBalancerID: String
    package var listenerPort: Int
    package var domain: String
    package var serverCertificateID: String
    package var createdAt: Int64

    package init(id: String, loadBalancerID: String, listenerPort: Int, domain: String, serverCertificateID: String, createdAt: Int64) {
        self.id = id
        self.loadBalancerID = loadBalancerID
        self.listenerPort = listenerPort
        self.domain = domain
        self.serverCertificateID = serverCertificateID
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, domain
        case loadBalancerID = "load_balancer_id"
        case listenerPort = "listener_port"
        case serverCertificateID = "server_certificate_id"
        case createdAt = "created_at"
    }
}

/// A custom TLS cipher policy. Versions and ciphers are JSON arrays.
package struct TLSPolicyRecord: Hashable, Sendable, Codable {
    package var id: String
    package var regionID: String
    package var name: String
    package var description: String
    package var tlsVersions: String
    package var ciphers: String
    package var createdAt: Int64

    package init(
        id: String, regionID: String, name: String, description: String = "", tlsVersions: String, ciphers: String, createdAt: Int64
    ) {
        self.id = id
        self.regionID = regionID
        self.name = name
        self.description = description
        self.tlsVersions = tlsVersions
        self.ciphers = ciphers
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, ciphers
        case regionID = "region_id"
        case tlsVersions = "tls_versions"
        case createdAt = "created_at"
    }
}

/// A server the operator registered (`gatehouse server add ID IP`): what an `ecs` backend's `ServerId` names.
package struct ServerRecord: Hashable, Sendable, Codable {
    package var id: String
    package var ip: String
    package var description: String
    package var createdAt: Int64

    package init(id: String, ip: String, description: String, createdAt: Int64) {
        self.id = id
        self.ip = ip
        self.description = description
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, ip, description
        case createdAt = "created_at"
    }
}

/// A backend server group (ELB pool, CLB VServerGroup). `settings` and `healthMonitor` are the control plane's JSON.
package struct ServerGroupRecord: Hashable, Sendable, Codable {
    package var id: String
    package var regionID: String
    package var loadBalancerID: String
    package var name: String
    package var description: String
    /// The protocol to the members (`http` or `tcp`).
    package var `protocol`: String
    /// The scheduler (`wrr`, `rr`, `wlc`).
    package var algorithm: String
    package var healthMonitorID: String?
    package var healthMonitor: String?
    package var settings: String
    package var createdAt: Int64
    package var updatedAt: Int64

    package init(
        id: String, regionID: String, loadBalancerID: String, name: String, description: String, protocol: String,
        algorithm: String, healthMonitorID: String?, healthMonitor: String?, settings: String, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.regionID = regionID
        self.loadBalancerID = loadBalancerID
        self.name = name
        self.description = description
        self.protocol = `protocol`
        self.algorithm = algorithm
        self.healthMonitorID = healthMonitorID
        self.healthMonitor = healthMonitor
        self.settings = settings
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, `protocol`, algorithm, settings
        case regionID = "region_id"
        case loadBalancerID = "load_balancer_id"
        case healthMonitorID = "health_monitor_id"
        case healthMonitor = "health_monitor"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A member of a server group: an address and its own port.
package struct ServerGroupMemberRecord: Hashable, Sendable, Codable {
    package var id: String
    package var groupID: String
    package var name: String
    package var address: String
    package var port: Int
    package var weight: Int
    package var settings: String
    package var createdAt: Int64
    package var updatedAt: Int64

    package init(
        id: String, groupID: String, name: String, address: String, port: Int, weight: Int, settings: String, createdAt: Int64,
        updatedAt: Int64
    ) {
        self.id = id
        self.groupID = groupID
        self.name = name
        self.address = address
        self.port = port
        self.weight = weight
        self.settings = settings
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, address, port, weight, settings
        case groupID = "group_id"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// One certificate of a listener's SNI list, in list order.
package struct ListenerSNIRecord: Hashable, Sendable, Codable {
    package var loadBalancerID: String
    package var port: Int
    package var certificateID: String
    package var position: Int

    package init(loadBalancerID: String, port: Int, certificateID: String, position: Int) {
        self.loadBalancerID = loadBalancerID
        self.port = port
        self.certificateID = certificateID
        self.position = position
    }

    enum CodingKeys: String, CodingKey {
        case port, position
        case loadBalancerID = "load_balancer_id"
        case certificateID = "certificate_id"
    }
}
