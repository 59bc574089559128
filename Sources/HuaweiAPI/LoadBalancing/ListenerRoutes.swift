import ControlPlane
import Foundation
import HTTPTypes

/// ELB v3 listeners (`/listeners`, research/huawei-elb.md 2): HTTP, HTTPS, TCP, and TLS (terminated here, the
/// decrypted bytes relayed to the members). An ELB listener serves from the moment it is
/// created: create binds the port (a port that cannot be bound is a 409 and leaves nothing behind), delete stops it.
/// Its id is the CLB listener id `<loadbalancer>_<protocol>_<port>`, so both fronts name the same listener.
enum ListenerRoutes {
    static func routes(_ base: String) -> [(HTTPRequest.Method, String, HuaweiAPI.Handler)] {
        [
            (.post, base + "/listeners", Self.create),
            (.get, base + "/listeners", Self.list),
            (.get, base + "/listeners/:listener_id", Self.show),
            (.put, base + "/listeners/:listener_id", Self.update),
            (.delete, base + "/listeners/:listener_id", Self.delete),
        ]
    }

    /// CreateListenerOption and UpdateListenerOption. Absent fields are unchanged on update; the SDK cannot send
    /// `null`, so an empty string clears `client_ca_tls_container_ref`, `default_pool_id` and `security_policy_id`.
    struct Option: Decodable {
        var name: String?
        var description: String?
        var `protocol`: String?
        var protocolPort: Int?
        var loadbalancerID: String?
        var defaultPoolID: String?
        var defaultTLSContainerRef: String?
        var clientCATLSContainerRef: String?
        var sniContainerRefs: [String]?
        var sniMatchAlgo: String?
        var tlsCiphersPolicy: String?
        var securityPolicyID: String?
        var http2Enable: Bool?
        var keepaliveTimeout: Int?
        var clientTimeout: Int?
        var memberTimeout: Int?
        var insertHeaders: [String: Bool]?
        var adminStateUp: Bool?

        enum CodingKeys: String, CodingKey {
            case name, description, `protocol`
            case protocolPort = "protocol_port"
            case loadbalancerID = "loadbalancer_id"
            case defaultPoolID = "default_pool_id"
            case defaultTLSContainerRef = "default_tls_container_ref"
            case clientCATLSContainerRef = "client_ca_tls_container_ref"
            case sniContainerRefs = "sni_container_refs"
            case sniMatchAlgo = "sni_match_algo"
            case tlsCiphersPolicy = "tls_ciphers_policy"
            case securityPolicyID = "security_policy_id"
            case http2Enable = "http2_enable"
            case keepaliveTimeout = "keepalive_timeout"
            case clientTimeout = "client_timeout"
            case memberTimeout = "member_timeout"
            case insertHeaders = "insert_headers"
            case adminStateUp = "admin_state_up"
        }
    }

    struct Envelope: Decodable {
        var listener: Option
    }

    /// The `insert_headers` this data plane adds, and the listener switch each one sets. Key paths are not `Sendable`;
    /// this table is immutable.
    private nonisolated(unsafe) static let insertHeaders: [(String, WritableKeyPath<ListenerSettings, Switch>)] = [
        ("X-Forwarded-ELB-IP", \.xForwardedForSLBIP), ("X-Forwarded-Port", \.xForwardedForSLBPort),
        ("X-Forwarded-For-Port", \.xForwardedForClientSourcePort), ("X-Forwarded-ELB-ID", \.xForwardedForSLBID),
        ("X-Forwarded-Clientcert-subjectdn", \.xForwardedForClientCertSubjectDN),
        ("X-Forwarded-Clientcert-issuerdn", \.xForwardedForClientCertIssuerDN),
        ("X-Forwarded-Clientcert-fingerprint", \.xForwardedForClientCertFingerprint),
        ("X-Forwarded-Clientcert-clientverify", \.xForwardedForClientCertClientVerify),
    ]

    static func create(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).listener
        guard let loadBalancerID = option.loadbalancerID, !loadBalancerID.isEmpty else { throw HuaweiError.invalid("loadbalancer_id is required.") }
        guard let protocolName = option.protocol else { throw HuaweiError.invalid("protocol is required.") }
        let listenerProtocol = try Self.listenerProtocol(protocolName)
        guard let port = option.protocolPort, (1...65535).contains(port) else {
            throw HuaweiError.invalid("protocol_port must be 1 to 65535 (port ranges are not supported).")
        }
        if option.adminStateUp == false { throw HuaweiError.invalid("admin_state_up can only be true.") }
        var settings = ListenerSettings()
        settings.elb = true
        settings.enableHTTP2 = false
        settings.xForwardedForProto = !listenerProtocol.isLayer4
        settings.keepaliveTimeout = listenerProtocol.isLayer4 ? 300 : 60
        if !listenerProtocol.isLayer4 {
            settings.memberTimeout = 60
            settings.clientTimeout = 60
        }
        var certificates = ListenerService.Certificates()
        if listenerProtocol.terminatesTLS {
            guard let serverID = option.defaultTLSContainerRef, !serverID.isEmpty else {
                throw HuaweiError.invalid("default_tls_container_ref is required for HTTPS and TLS listeners.")
            }
            certificates.tlsPolicy = TLSPolicies.elbDefaultPolicy
            certificates.serverCertificateID = serverID
        }
        try await Self.apply(option, to: &settings, &certificates, protocol: listenerProtocol, call)
        let listener = try await call.listeners.createRunning(
            loadBalancerID: loadBalancerID, regionID: call.region.id, port: port, protocol: listenerProtocol, settings: settings,
            certificates: certificates)
        return (.created, try await Self.envelope(listener, call))
    }

    static func show(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        (.ok, try await Self.envelope(try await Self.find(call), call))
    }

    static func list(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        var objects: [[String: Any]] = []
        for listener in try await call.listeners.list(regionID: call.region.id, loadBalancerIDs: []).sorted(by: { $0.createdAt < $1.createdAt }) {
            objects.append(try await Self.object(listener, call))
        }
        return (.ok, try Listing.page(objects, call: call, collection: "listeners"))
    }

    static func update(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let listener = try await Self.find(call)
        let option = try call.decode(Envelope.self).listener
        if let name = option.protocol, try Self.listenerProtocol(name) != listener.protocol { throw HuaweiError.invalid("protocol cannot be changed.") }
        if let port = option.protocolPort, port != listener.port { throw HuaweiError.invalid("protocol_port cannot be changed.") }
        if option.adminStateUp == false { throw HuaweiError.invalid("admin_state_up can only be true.") }
        var validated = listener.settings
        var references = ListenerService.Certificates(
            serverCertificateID: listener.serverCertificateID, caCertificateID: listener.caCertificateID, tlsPolicy: listener.tlsPolicy)
        try await Self.apply(option, to: &validated, &references, protocol: listener.protocol, call)
        try await call.listeners.update(
            loadBalancerID: listener.loadBalancerID, regionID: call.region.id, port: listener.port, protocol: listener.protocol
        ) { settings, certificates in
            settings = validated
            certificates = references
        }
        return (.ok, try await Self.envelope(try await Self.find(call), call))
    }

    static func delete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let listener = try await Self.find(call)
        try await call.listeners.delete(loadBalancerID: listener.loadBalancerID, regionID: call.region.id, port: listener.port)
        return (.noContent, nil)
    }

    // MARK: - Parameters

    private static func listenerProtocol(_ name: String) throws -> ListenerProtocol {
        switch name.uppercased() {
        case "HTTP": return .http
        case "HTTPS", "TERMINATED_HTTPS": return .https
        case "TCP": return .tcp
        case "TLS": return .tls
        case "UDP", "QUIC", "IP":
            throw ControlPlaneError.unsupported("protocol \(name) is not supported by this load balancer: HTTP, HTTPS, TCP or TLS.")
        default:
            throw HuaweiError.invalid("protocol \(name) is not valid: TCP, UDP, HTTP, HTTPS, TERMINATED_HTTPS, QUIC, TLS or IP.")
        }
    }

    /// Applies an option's fields to a listener's settings and references, checking the ELB-specific rules (types of
    /// the referenced certificates) that the control plane's generic checks would report as "not found".
    private static func apply(
        _ option: Option, to settings: inout ListenerSettings, _ certificates: inout ListenerService.Certificates,
        protocol listenerProtocol: ListenerProtocol, _ call: HuaweiAPI.Call
    ) async throws {
        if let name = option.name { settings.name = name }
        if let description = option.description { settings.description = description }
        if let timeout = option.keepaliveTimeout { settings.keepaliveTimeout = timeout }
        if let timeout = option.clientTimeout { settings.clientTimeout = timeout }
        if let timeout = option.memberTimeout { settings.memberTimeout = timeout }
        if let pool = option.defaultPoolID { settings.vServerGroupID = pool }
        if let headers = option.insertHeaders {
            for (name, keyPath) in Self.insertHeaders { if let on = headers[name] { settings[keyPath: keyPath] = on } }
        }
        let tlsFields = option.defaultTLSContainerRef != nil || option.clientCATLSContainerRef.map { !$0.isEmpty } == true
            || option.sniContainerRefs.map { !$0.isEmpty } == true || option.tlsCiphersPolicy != nil
            || option.securityPolicyID.map { !$0.isEmpty } == true || option.http2Enable == true || option.sniMatchAlgo != nil
        guard listenerProtocol.terminatesTLS else {
            if tlsFields { throw HuaweiError.invalid("certificates, SNI, TLS policies and HTTP/2 are only for HTTPS and TLS listeners.") }
            return
        }
        if let http2 = option.http2Enable {
            guard listenerProtocol == .https || !http2 else { throw HuaweiError.invalid("http2_enable is only for HTTPS listeners.") }
            settings.enableHTTP2 = http2
        }
        if let algorithm = option.sniMatchAlgo {
            guard let value = SNIMatchAlgorithm(rawValue: algorithm) else {
                throw HuaweiError.invalid("sni_match_algo \(algorithm) is not valid: wildcard or longest_suffix.")
            }
            settings.sniMatch = value
        }
        if let serverID = option.defaultTLSContainerRef {
            try await Self.require(serverID, is: .server, field: "default_tls_container_ref", call)
            certificates.serverCertificateID = serverID
        }
        if let caID = option.clientCATLSContainerRef {
            if caID.isEmpty {
                certificates.caCertificateID = nil
            } else {
                try await Self.require(caID, is: .ca, field: "client_ca_tls_container_ref", call)
                certificates.caCertificateID = caID
            }
        }
        if let sni = option.sniContainerRefs {
            for id in sni { try await Self.require(id, is: .server, field: "sni_container_refs", call) }
            certificates.sniCertificateIDs = sni
        }
        if let policy = option.tlsCiphersPolicy {
            guard TLSPolicies.elbSystemPolicyNames.contains(policy) else {
                throw HuaweiError.invalid("tls_ciphers_policy \(policy) is not valid: \(TLSPolicies.elbSystemPolicyNames.joined(separator: ", ")).")
            }
            // A custom policy stays in force when both are set (security_policy_id wins).
            if option.securityPolicyID.map({ $0.isEmpty }) ?? true { certificates.tlsPolicy = policy }
        }
        if let policyID = option.securityPolicyID {
            if policyID.isEmpty {
                if let current = certificates.tlsPolicy, TLSPolicies.system[current] == nil {
                    certificates.tlsPolicy = option.tlsCiphersPolicy ?? TLSPolicies.elbDefaultPolicy
                }
            } else {
                _ = try await call.tlsPolicies.get(policyID, regionID: call.region.id)
                certificates.tlsPolicy = policyID
            }
        }
    }

    /// A certificate reference must exist (404) and be of the type the field takes (400).
    private static func require(_ id: String, is kind: CertificateKind, field: String, _ call: HuaweiAPI.Call) async throws {
        let certificate = try await CertificateRoutes.find(id, call)
        if certificate.kind == .serverSM, kind == .server { throw ControlPlaneError.smCertificateNotServable(id) }
        guard certificate.kind == kind else {
            throw HuaweiError.invalid(
                "\(field): certificate \(id) is of type \(CertificateRoutes.typeName(certificate.kind)); it must be of type \(CertificateRoutes.typeName(kind)).")
        }
    }

    // MARK: - Shapes

    /// The listener a path names, by its id `<loadbalancer>_<protocol>_<port>`.
    private static func find(_ call: HuaweiAPI.Call) async throws -> Listener {
        let id = call.parameter("listener_id")
        let parts = id.split(separator: "_")
        guard parts.count >= 3, let port = Int(parts[parts.count - 1]), ListenerProtocol(rawValue: String(parts[parts.count - 2])) != nil else {
            throw HuaweiError.notFound("listener", id)
        }
        let loadBalancerID = parts.dropLast(2).joined(separator: "_")
        let listener: Listener
        do {
            listener = try await call.listeners.get(loadBalancerID: loadBalancerID, regionID: call.region.id, port: port)
        } catch is ControlPlaneError {
            throw HuaweiError.notFound("listener", id)
        }
        guard listener.resourceID == id else { throw HuaweiError.notFound("listener", id) }
        return listener
    }

    private static func envelope(_ listener: Listener, _ call: HuaweiAPI.Call) async throws -> Data {
        try JSONSerialization.data(withJSONObject: ["listener": try await Self.object(listener, call)])
    }

    /// Listener.
    private static func object(_ listener: Listener, _ call: HuaweiAPI.Call) async throws -> [String: Any] {
        let settings = listener.settings
        let https = listener.protocol.terminatesTLS
        let policy = listener.tlsPolicy ?? ""
        let customPolicy = https && !policy.isEmpty && TLSPolicies.system[policy] == nil
        var headers: [String: Bool] = [:]
        for (name, keyPath) in Self.insertHeaders where settings[keyPath: keyPath] { headers[name] = true }
        let sni = https ? try await call.listeners.sniCertificateIDs(loadBalancerID: listener.loadBalancerID, port: listener.port) : []
        func optional(_ value: String?) -> Any { value.flatMap { $0.isEmpty ? nil : $0 } ?? NSNull() }
        return [
            "id": listener.resourceID, "name": settings.name ?? "", "description": settings.description,
            "protocol": listener.protocol.rawValue.uppercased(), "protocol_port": listener.port,
            "loadbalancers": Listing.references([listener.loadBalancerID]), "loadbalancer_id": listener.loadBalancerID,
            "default_pool_id": optional(settings.vServerGroupID),
            "default_tls_container_ref": optional(https ? listener.serverCertificateID : nil),
            "client_ca_tls_container_ref": optional(https ? listener.caCertificateID : nil),
            "sni_container_refs": sni, "sni_match_algo": https ? (settings.sniMatch ?? .wildcard).rawValue : "",
            "tls_ciphers_policy": https && !customPolicy ? (TLSPolicies.system[policy] != nil ? policy : TLSPolicies.elbDefaultPolicy) : NSNull(),
            "security_policy_id": customPolicy ? policy : NSNull(),
            "http2_enable": https && settings.enableHTTP2, "keepalive_timeout": settings.effectiveIdleTimeout,
            "client_timeout": settings.clientTimeout ?? NSNull(), "member_timeout": settings.memberTimeout ?? NSNull(),
            "insert_headers": headers, "admin_state_up": true, "connection_limit": -1, "enable_member_retry": !listener.protocol.isLayer4,
            "project_id": call.region.projectID, "enterprise_project_id": "0", "tags": [Any](), "ipgroup": NSNull(),
            "quic_config": NSNull(), "protection_status": "nonProtection", "protection_reason": "",
            "transparent_client_ip_enable": false, "proxy_protocol_enable": false, "enhance_l7policy_enable": false,
            "ssl_early_data_enable": false, "gzip_enable": false, "port_ranges": [Any](),
            "operating_status": listener.status == .running ? "ONLINE" : "OFFLINE",
            "created_at": Listing.time(listener.createdAt), "updated_at": Listing.time(listener.createdAt),
        ]
    }
}
