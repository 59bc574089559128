package import Foundation

/// A listener on a load balancer port.
package struct Listener: Hashable, Sendable {
    /// `stopped` (new listeners) or `running`.
    package enum Status: String, Hashable, Sendable {
        case stopped, running
    }

    package var loadBalancerID: String
    package var port: Int
    package var `protocol`: ListenerProtocol
    package var status: Status
    package var serverCertificateID: String?
    package var caCertificateID: String?
    /// A system policy name (`tls_cipher_policy_1_0` ...) or a custom policy id (`tls-...`).
    package var tlsPolicy: String?
    package var settings: ListenerSettings
    package var createdAt: Date

    /// `<LoadBalancerId>_<protocol>_<port>`: the listener's id for tags and the data plane.
    package var resourceID: String { "\(self.loadBalancerID)_\(self.protocol.rawValue)_\(self.port)" }
}

/// What an `on`/`off` switch is on the wire.
package typealias Switch = Bool

/// Every listener attribute besides its identity and certificates, with the CLB defaults.
package struct ListenerSettings: Hashable, Sendable, Codable {
    package var backendServerPort = 80
    /// Mbit/s; -1 is unlimited.
    package var bandwidth = -1
    package var scheduler = Scheduler.wrr
    package var description = ""
    package var enableHTTP2: Switch = true
    package var gzip: Switch = true
    package var idleTimeout = 15
    package var requestTimeout = 60
    package var healthCheck = HealthCheckSettings()
    package var stickySession: Switch = false
    package var stickySessionType = ""
    package var cookieTimeout = 0
    package var cookie = ""
    package var xForwardedFor: Switch = true
    package var xForwardedForProto: Switch = false
    package var xForwardedForSLBIP: Switch = false
    package var xForwardedForSLBID: Switch = false
    package var xForwardedForSLBPort: Switch = false
    package var xForwardedForClientSourcePort: Switch = false
    package var xForwardedForClientCertSubjectDN: Switch = false
    package var xForwardedForClientCertIssuerDN: Switch = false
    package var xForwardedForClientCertFingerprint: Switch = false
    package var xForwardedForClientCertClientVerify: Switch = false
    package var aclStatus: Switch = false
    package var aclType = ""
    package var aclID = ""
    /// The server group (ELB default pool) that gets the traffic; empty means the load balancer's backends on
    /// `backendServerPort`.
    package var vServerGroupID = ""

    // ELB-style attributes. Optional so that settings stored before they existed still decode; nil means "not set".

    /// The listener's name (ELB `name`).
    package var name: String?
    /// How SNI matches wildcard domains (ELB `sni_match_algo`); nil is `wildcard`.
    package var sniMatch: SNIMatchAlgorithm?
    /// Seconds an idle client connection is kept (ELB `keepalive_timeout`, 0-4000); overrides `idleTimeout`.
    package var keepaliveTimeout: Int?
    /// Seconds to wait for a backend response (ELB `member_timeout`, 1-300); overrides `requestTimeout`.
    package var memberTimeout: Int?
    /// Seconds to wait for a client request (ELB `client_timeout`, 1-300); echoed.
    package var clientTimeout: Int?
    /// Whether the ELB front created it (it then serves from creation, with no start call).
    package var elb: Bool?

    /// The idle timeout the data plane applies.
    package var effectiveIdleTimeout: Int { self.keepaliveTimeout ?? self.idleTimeout }
    /// The backend response timeout the data plane applies.
    package var effectiveRequestTimeout: Int { self.memberTimeout ?? self.requestTimeout }

    package init() {}

    /// Checks the documented ranges; the first violation is reported by parameter name.
    package func validate() throws(ControlPlaneError) {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws(ControlPlaneError) {
            if !ok { throw .invalidParameter(name: name, reason: reason) }
        }
        try check((1...65535).contains(self.backendServerPort), "BackendServerPort", "1 to 65535")
        try check(self.bandwidth == -1 || (1...5120).contains(self.bandwidth), "Bandwidth", "-1, or 1 to 5120")
        try check((1...60).contains(self.idleTimeout), "IdleTimeout", "1 to 60 seconds")
        try check((1...180).contains(self.requestTimeout), "RequestTimeout", "1 to 180 seconds")
        try check(self.description.count <= 256, "Description", "at most 256 characters")
        try check(self.keepaliveTimeout.map { (0...4000).contains($0) } ?? true, "keepalive_timeout", "0 to 4000 seconds")
        try check(self.memberTimeout.map { (1...300).contains($0) } ?? true, "member_timeout", "1 to 300 seconds")
        try check(self.clientTimeout.map { (1...300).contains($0) } ?? true, "client_timeout", "1 to 300 seconds")
        try check((self.name?.count ?? 0) <= 255, "name", "at most 255 characters")
        if self.stickySession {
            try check(["insert", "server"].contains(self.stickySessionType), "StickySessionType", "insert or server")
            if self.stickySessionType == "insert" {
                try check((1...86400).contains(self.cookieTimeout), "CookieTimeout", "1 to 86400 when StickySessionType is insert")
            } else {
                try check(!self.cookie.isEmpty && self.cookie.count <= 200, "Cookie", "1 to 200 characters when StickySessionType is server")
            }
        }
        if self.aclStatus {
            try check(!self.aclID.isEmpty, "AclId", "required when AclStatus is on")
            try check(["white", "black"].contains(self.aclType), "AclType", "white or black")
        }
        try self.healthCheck.validate()
    }
}

/// The `HealthCheck*` attributes of a listener.
package struct HealthCheckSettings: Hashable, Sendable, Codable {
    package var enabled: Switch = false
    package var domain = ""
    package var uri = "/"
    package var connectPort = 0
    package var healthyThreshold = 3
    package var unhealthyThreshold = 3
    package var timeout = 5
    package var interval = 2
    /// Comma-separated `http_2xx,http_3xx,...`.
    package var httpCode = "http_2xx,http_3xx"
    package var method = "head"
    /// For TCP listeners: `tcp` or `http`.
    package var type = "tcp"

    package init() {}

    func validate() throws(ControlPlaneError) {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws(ControlPlaneError) {
            if !ok { throw .invalidParameter(name: name, reason: reason) }
        }
        try check((2...10).contains(self.healthyThreshold), "HealthyThreshold", "2 to 10")
        try check((2...10).contains(self.unhealthyThreshold), "UnhealthyThreshold", "2 to 10")
        try check((1...300).contains(self.timeout), "HealthCheckTimeout", "1 to 300 seconds")
        try check((1...50).contains(self.interval), "HealthCheckInterval", "1 to 50 seconds")
        try check(self.connectPort == 0 || (1...65535).contains(self.connectPort), "HealthCheckConnectPort", "1 to 65535")
        try check(self.uri.hasPrefix("/") && self.uri.count <= 80, "HealthCheckURI", "a path starting with / (at most 80 characters)")
        try check(["head", "get"].contains(self.method), "HealthCheckMethod", "head or get")
        let codes = self.httpCode.split(separator: ",").map(String.init)
        try check(!codes.isEmpty && codes.allSatisfy { ["http_2xx", "http_3xx", "http_4xx", "http_5xx"].contains($0) },
                  "HealthCheckHttpCode", "http_2xx, http_3xx, http_4xx and/or http_5xx, comma-separated")
    }
}
