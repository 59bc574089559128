import ControlPlane

/// Reads the listener parameters of Create*Listener and Set*ListenerAttribute onto settings (PATCH semantics: only
/// what the call carries changes).
extension RPCParameters {
    func apply(to s: inout ListenerSettings, _ certificates: inout ListenerService.Certificates) throws(AliyunError) {
        if let value = try self.int("BackendServerPort") { s.backendServerPort = value }
        if let value = try self.int("Bandwidth") { s.bandwidth = value }
        if let value = self.optional("Scheduler") {
            guard let scheduler = Scheduler(rawValue: value) else { throw .invalidParameter("Scheduler", "wrr, rr, wlc or sch") }
            s.scheduler = scheduler
        }
        if let value = self["Description"] { s.description = value }
        if let value = try self.onOff("EnableHttp2") { s.enableHTTP2 = value }
        if let value = try self.onOff("Gzip") { s.gzip = value }
        if let value = try self.int("IdleTimeout") { s.idleTimeout = value }
        if let value = try self.int("RequestTimeout") { s.requestTimeout = value }
        if let value = try self.onOff("StickySession") { s.stickySession = value }
        if let value = self.optional("StickySessionType") { s.stickySessionType = value }
        if let value = try self.int("CookieTimeout") { s.cookieTimeout = value }
        if let value = self.optional("Cookie") { s.cookie = value }
        if let value = try self.onOff("XForwardedFor") { s.xForwardedFor = value }
        if let value = try self.onOff("XForwardedFor_proto") { s.xForwardedForProto = value }
        if let value = try self.onOff("XForwardedFor_SLBIP") { s.xForwardedForSLBIP = value }
        if let value = try self.onOff("XForwardedFor_SLBID") { s.xForwardedForSLBID = value }
        if let value = try self.onOff("XForwardedFor_SLBPORT") { s.xForwardedForSLBPort = value }
        if let value = try self.onOff("XForwardedFor_ClientSrcPort") { s.xForwardedForClientSourcePort = value }
        // Not in the current SDK's request models, but documented (2021) and echoed by Describe: accepted when sent.
        if let value = try self.onOff("XForwardedFor_ClientCertSubjectDN") { s.xForwardedForClientCertSubjectDN = value }
        if let value = try self.onOff("XForwardedFor_ClientCertIssuerDN") { s.xForwardedForClientCertIssuerDN = value }
        if let value = try self.onOff("XForwardedFor_ClientCertFingerprint") { s.xForwardedForClientCertFingerprint = value }
        if let value = try self.onOff("XForwardedFor_ClientCertClientVerify") { s.xForwardedForClientCertClientVerify = value }
        if let value = try self.onOff("AclStatus") { s.aclStatus = value }
        if let value = self.optional("AclType") { s.aclType = value }
        if let value = self.optional("AclId") { s.aclID = value }
        if let value = self.optional("VServerGroupId") { s.vServerGroupID = value }
        if let value = try self.onOff("HealthCheck") { s.healthCheck.enabled = value }
        if let value = self.optional("HealthCheckURI") { s.healthCheck.uri = value }
        if let value = self["HealthCheckDomain"] { s.healthCheck.domain = value }
        if let value = try self.int("HealthCheckConnectPort") { s.healthCheck.connectPort = value }
        if let value = try self.int("HealthyThreshold") { s.healthCheck.healthyThreshold = value }
        if let value = try self.int("UnhealthyThreshold") { s.healthCheck.unhealthyThreshold = value }
        if let value = try self.int("HealthCheckTimeout") { s.healthCheck.timeout = value }
        if let value = try self.int("HealthCheckConnectTimeout") { s.healthCheck.timeout = value }
        if let value = try self.int("HealthCheckInterval") { s.healthCheck.interval = value }
        if let value = self.optional("HealthCheckHttpCode") { s.healthCheck.httpCode = value }
        if let value = self.optional("HealthCheckMethod") { s.healthCheck.method = value.lowercased() }
        if let value = self.optional("HealthCheckType") { s.healthCheck.type = value.lowercased() }
        if let value = self.optional("ServerCertificateId") { certificates.serverCertificateID = value }
        if let value = self.optional("CACertificateId") { certificates.caCertificateID = value }
        if let value = self.optional("TLSCipherPolicy") { certificates.tlsPolicy = value }
    }

    /// `LoadBalancerId` and `ListenerPort`, required by every listener call.
    func listenerKey() throws(AliyunError) -> (String, Int) {
        let id = try self.required("LoadBalancerId")
        guard let port = try self.int("ListenerPort") else { throw .missingParameter("ListenerPort") }
        return (id, port)
    }
}
