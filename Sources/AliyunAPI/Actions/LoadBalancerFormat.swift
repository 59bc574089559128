import ControlPlane
import Foundation

/// How load balancers, backends and listeners look in CLB responses (research/alibaba-clb.md appendix A and
/// the SDK models).
extension LoadBalancer {
    var clbTags: JSON { .wrapped("Tag", self.tags.map { ["TagKey": .string($0.key), "TagValue": .string($0.value)] }) }

    var clbFields: [(String, JSON)] {
        let settings = self.settings
        return [
            ("LoadBalancerId", .string(self.id)), ("LoadBalancerName", .string(self.name)),
            ("LoadBalancerStatus", .string(self.status)), ("Address", .string(self.address)),
            ("AddressType", .string(settings.addressType)), ("AddressIPVersion", .string(settings.addressIPVersion)),
            ("RegionId", .string(self.regionID)), ("RegionIdAlias", .string(self.regionID)),
            ("NetworkType", .string(settings.networkType)), ("VpcId", .string(settings.vpcID)),
            ("VSwitchId", .string(settings.vSwitchID)), ("LoadBalancerSpec", .string(settings.specification)),
            ("PayType", .string(settings.payType)), ("InstanceChargeType", .string(settings.instanceChargeType)),
            ("InternetChargeType", .string(settings.internetChargeType)), ("Bandwidth", .number(Int64(settings.bandwidth))),
            ("MasterZoneId", .string(settings.masterZoneID)), ("SlaveZoneId", .string(settings.slaveZoneID)),
            ("ResourceGroupId", .string(settings.resourceGroupID)), ("DeleteProtection", .string(settings.deleteProtection)),
            ("ModificationProtectionStatus", .string(settings.modificationProtectionStatus)),
            ("ModificationProtectionReason", .string(settings.modificationProtectionReason)),
        ] + Certificate.clbTimesOf(created: self.createdAt)
    }

    /// `BackendServers.BackendServer[]`; `Weight` is a string in the SDK model.
    var clbBackends: JSON {
        .wrapped("BackendServer", self.backends.map { backend -> JSON in
            ["ServerId": .string(backend.serverID), "ServerIp": .string(backend.ip), "Type": .string(backend.type),
             "Weight": .string(String(backend.weight)), "Description": .string(backend.description)]
        })
    }
}

extension Certificate {
    static func clbTimesOf(created: Date) -> [(String, JSON)] {
        [("CreateTime", Self.clbTime(created)), ("CreateTimeStamp", Self.clbTimestamp(created))]
    }
}

extension Listener {
    static func onOff(_ value: Bool) -> JSON { .string(value ? "on" : "off") }

    /// The attribute fields shared by Describe*ListenerAttribute and DescribeLoadBalancerListeners.
    var clbAttributes: [(String, JSON)] {
        let s = self.settings
        let check = s.healthCheck
        var fields: [(String, JSON)] = [
            ("LoadBalancerId", .string(self.loadBalancerID)), ("ListenerPort", .number(Int64(self.port))),
            ("ListenerProtocol", .string(self.protocol.rawValue)),
            ("BackendServerPort", .number(Int64(s.backendServerPort))), ("Bandwidth", .number(Int64(s.bandwidth))),
            ("Status", .string(self.status.rawValue)), ("Description", .string(s.description)),
            ("Scheduler", .string(s.scheduler.rawValue)), ("VServerGroupId", .string(s.vServerGroupID)),
            ("HealthCheck", Self.onOff(check.enabled)), ("HealthCheckURI", .string(check.uri)),
            ("HealthCheckDomain", .string(check.domain)), ("HealthCheckHttpCode", .string(check.httpCode)),
            ("HealthCheckInterval", .number(Int64(check.interval))), ("HealthCheckTimeout", .number(Int64(check.timeout))),
            ("HealthCheckConnectPort", .number(Int64(check.connectPort))),
            ("HealthyThreshold", .number(Int64(check.healthyThreshold))),
            ("UnhealthyThreshold", .number(Int64(check.unhealthyThreshold))), ("HealthCheckMethod", .string(check.method)),
            ("AclStatus", Self.onOff(s.aclStatus)), ("AclType", .string(s.aclType)), ("AclId", .string(s.aclID)),
        ]
        if self.protocol != .tcp {
            fields += [
                ("StickySession", Self.onOff(s.stickySession)), ("StickySessionType", .string(s.stickySessionType)),
                ("CookieTimeout", .number(Int64(s.cookieTimeout))), ("Cookie", .string(s.cookie)),
                ("Gzip", Self.onOff(s.gzip)), ("IdleTimeout", .number(Int64(s.idleTimeout))),
                ("RequestTimeout", .number(Int64(s.requestTimeout))),
                ("XForwardedFor", Self.onOff(s.xForwardedFor)), ("XForwardedFor_proto", Self.onOff(s.xForwardedForProto)),
                ("XForwardedFor_SLBIP", Self.onOff(s.xForwardedForSLBIP)), ("XForwardedFor_SLBID", Self.onOff(s.xForwardedForSLBID)),
                ("XForwardedFor_SLBPORT", Self.onOff(s.xForwardedForSLBPort)),
                ("XForwardedFor_ClientSrcPort", Self.onOff(s.xForwardedForClientSourcePort)),
            ]
        } else {
            fields += [("HealthCheckType", .string(check.type))]
        }
        if self.protocol == .https {
            fields += [
                ("ServerCertificateId", .text(self.serverCertificateID)), ("CACertificateId", .text(self.caCertificateID)),
                ("TLSCipherPolicy", .text(self.tlsPolicy)), ("EnableHttp2", Self.onOff(s.enableHTTP2)),
                ("XForwardedFor_ClientCertSubjectDN", Self.onOff(s.xForwardedForClientCertSubjectDN)),
                ("XForwardedFor_ClientCertIssuerDN", Self.onOff(s.xForwardedForClientCertIssuerDN)),
                ("XForwardedFor_ClientCertFingerprint", Self.onOff(s.xForwardedForClientCertFingerprint)),
                ("XForwardedFor_ClientCertClientVerify", Self.onOff(s.xForwardedForClientCertClientVerify)),
                ("SecurityStatus", "on"),
            ]
        }
        return fields
    }
}
