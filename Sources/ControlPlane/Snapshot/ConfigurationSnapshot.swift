/// Everything the data plane serves, as plain immutable values: built by the control plane from the database after
/// every committed change, compiled by the data plane into TLS contexts and backend pools, and swapped in whole.
///
/// Only listeners whose status is `running` appear. Nothing here is a database or wire type.
package struct ConfigurationSnapshot: Hashable, Sendable {
    /// The configuration revision this snapshot was built from; newer snapshots have larger revisions.
    package var revision: Int64
    package var listeners: [ListenerSnapshot]

    package init(revision: Int64, listeners: [ListenerSnapshot]) {
        self.revision = revision
        self.listeners = listeners
    }
}

/// The protocols a listener can speak.
package enum ListenerProtocol: String, Hashable, Sendable, CaseIterable {
    /// HTTP/1.1 reverse proxy.
    case http
    /// TLS termination, then the HTTP reverse proxy.
    case https
    /// Layer-4 pass-through: bytes are relayed to a backend unchanged (seed 002 sends SNI-on-backend users here).
    case tcp
    /// TLS termination, then the decrypted bytes are relayed to a backend (ELB `TLS` listeners).
    case tls

    /// Whether the listener terminates TLS (and so needs a certificate).
    package var terminatesTLS: Bool { self == .https || self == .tls }
    /// Whether the listener relays bytes rather than proxying HTTP.
    package var isLayer4: Bool { self == .tcp || self == .tls }
}

/// How a listener picks a backend (CLB `Scheduler`).
package enum Scheduler: String, Hashable, Sendable, CaseIterable, Codable {
    /// Weighted round robin (the CLB default).
    case wrr
    /// Round robin, weights ignored (weight 0 still means "no traffic").
    case rr
    /// Weighted least connections.
    case wlc
    /// Consistent hashing on the client's IP address (CLB `sch`, ELB `SOURCE_IP`): a client keeps its backend while
    /// that backend stays eligible, and a backend that leaves moves only its own clients.
    case sch
}

/// One running listener.
package struct ListenerSnapshot: Hashable, Sendable {
    /// `<LoadBalancerId>_<protocol>_<port>`, the CLB listener resource id, e.g. `lb-abc_https_443`.
    package var id: String
    package var loadBalancerID: String
    /// The IP address to bind (the load balancer's `Address`).
    package var address: String
    package var port: Int
    package var `protocol`: ListenerProtocol
    package var backends: [BackendSnapshot]
    package var scheduler: Scheduler
    /// TLS settings; set exactly when `protocol` terminates TLS (`.https`, `.tls`).
    package var tls: TLSSnapshot?
    /// Headers the proxy adds for backends (HTTP and HTTPS only).
    package var forwardedHeaders: ForwardedHeaders
    /// Seconds a kept-alive client connection may stay idle (CLB `IdleTimeout`, 1-60).
    package var idleTimeoutSeconds: Int
    /// Seconds to wait for a backend's response (CLB `RequestTimeout`, 1-180).
    package var requestTimeoutSeconds: Int
    /// The listener's bandwidth cap in Mbit/s; -1 means unlimited (CLB `Bandwidth`).
    package var bandwidthMbps: Int
    /// Health checking; nil when `HealthCheck` is off (every backend then counts as healthy).
    package var healthCheck: HealthCheckSnapshot?

    package init(
        id: String, loadBalancerID: String, address: String, port: Int, protocol: ListenerProtocol,
        backends: [BackendSnapshot], scheduler: Scheduler = .wrr, tls: TLSSnapshot? = nil,
        forwardedHeaders: ForwardedHeaders = ForwardedHeaders(), idleTimeoutSeconds: Int = 15,
        requestTimeoutSeconds: Int = 60, bandwidthMbps: Int = -1, healthCheck: HealthCheckSnapshot? = nil
    ) {
        self.id = id
        self.loadBalancerID = loadBalancerID
        self.address = address
        self.port = port
        self.protocol = `protocol`
        self.backends = backends
        self.scheduler = scheduler
        self.tls = tls
        self.forwardedHeaders = forwardedHeaders
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.requestTimeoutSeconds = requestTimeoutSeconds
        self.bandwidthMbps = bandwidthMbps
        self.healthCheck = healthCheck
    }
}

/// A backend server of a listener.
package struct BackendSnapshot: Hashable, Sendable {
    /// Unique within the listener: the CLB `ServerId` (an ECS id registered with `gatehouse server add`, or the
    /// ENI/ECI/IP id), or the ELB member id.
    package var serverID: String
    /// The server's IP address.
    package var ip: String
    /// The port requests go to (the CLB listener's `BackendServerPort`, or the ELB member's `protocol_port`).
    package var port: Int
    /// 0-100; 0 means the backend gets no new requests.
    package var weight: Int

    package init(serverID: String, ip: String, port: Int, weight: Int) {
        self.serverID = serverID
        self.ip = ip
        self.port = port
        self.weight = weight
    }
}

/// The X-Forwarded-* switches of a listener (CLB `XForwardedFor*`). Headers of these names sent by clients are
/// removed before the proxy adds its own.
package struct ForwardedHeaders: Hashable, Sendable {
    /// `X-Forwarded-For` (client IP appended). CLB default: on.
    package var forwardedFor = true
    /// `X-Forwarded-Proto: http|https`.
    package var forwardedProto = false
    /// `SLB-IP`: the load balancer address the client connected to.
    package var slbIP = false
    /// `SLB-ID`: the load balancer id.
    package var slbID = false
    /// `X-Forwarded-Port`: the listener port.
    package var slbPort = false
    /// `X-Forwarded-Client-Srcport`: the client's source port.
    package var clientSourcePort = false
    /// mTLS listeners: `X-Forwarded-Clientcert-subjectdn`, `-issuerdn`, `-fingerprint`, `-clientverify`.
    package var clientCertificateSubject = false
    package var clientCertificateIssuer = false
    package var clientCertificateFingerprint = false
    package var clientCertificateVerify = false
    /// Which cloud's header names to use for the load balancer address, id and the client's source port.
    package var naming = HeaderNaming.clb

    /// CLB: `SLB-IP`, `SLB-ID`, `X-Forwarded-Client-Srcport`. ELB: `X-Forwarded-ELB-IP`, `X-Forwarded-ELB-ID`,
    /// `X-Forwarded-For-Port`.
    package enum HeaderNaming: Hashable, Sendable {
        case clb, elb
    }

    package init() {}
}

/// TLS termination settings of an HTTPS listener.
package struct TLSSnapshot: Hashable, Sendable {
    /// The listener's certificate, served when no SNI entry matches.
    package var defaultCertificate: CertificateMaterial
    /// Domain extensions: certificates chosen by the ClientHello's server name.
    package var sniCertificates: [SNICertificate]
    /// PEM of the CA certificate(s) client certificates must chain to; nil means one-way TLS.
    package var clientCAPEM: String?
    /// Versions and cipher suites.
    package var policy: TLSPolicy
    /// Offer h2 through ALPN (CLB `EnableHttp2`); served as HTTP/1.1 until swift-nio-http2 is wired.
    package var enableHTTP2: Bool
    /// How a server name is matched against wildcard domains of `sniCertificates`.
    package var sniMatch: SNIMatchAlgorithm

    package init(
        defaultCertificate: CertificateMaterial, sniCertificates: [SNICertificate] = [], clientCAPEM: String? = nil,
        policy: TLSPolicy, enableHTTP2: Bool = false, sniMatch: SNIMatchAlgorithm = .wildcard
    ) {
        self.defaultCertificate = defaultCertificate
        self.sniCertificates = sniCertificates
        self.clientCAPEM = clientCAPEM
        self.policy = policy
        self.enableHTTP2 = enableHTTP2
        self.sniMatch = sniMatch
    }
}

/// How SNI picks among wildcard domains (ELB `sni_match_algo`). An exact domain always wins over a wildcard, and
/// no match (or no server name) means the listener's default certificate.
package enum SNIMatchAlgorithm: String, Hashable, Sendable, Codable, CaseIterable {
    /// A wildcard covers exactly one label: `*.test.com` matches `a.test.com`, not `a.b.test.com` (CLB, and the
    /// ELB default).
    case wildcard
    /// A wildcard covers one or more labels, and the longest matching suffix wins: with `*.b.test.com` and
    /// `*.test.com`, `a.b.test.com` gets `*.b.test.com` and `x.y.test.com` gets `*.test.com`.
    case longestSuffix = "longest_suffix"
}

/// A certificate chain and its private key, decrypted, for serving. The description never shows the key.
package struct CertificateMaterial: Hashable, Sendable, CustomStringConvertible {
    /// The certificate id, for logs and change detection.
    package var id: String
    /// The chain, leaf first, as PEM.
    package var chainPEM: String
    /// The private key as PEM.
    package var privateKeyPEM: String

    package init(id: String, chainPEM: String, privateKeyPEM: String) {
        self.id = id
        self.chainPEM = chainPEM
        self.privateKeyPEM = privateKeyPEM
    }

    package var description: String { "CertificateMaterial(\(self.id), <redacted>)" }
}

/// A domain extension: a domain (exact like `www.example.com`, or wildcard like `*.example.com`) and its
/// certificate.
package struct SNICertificate: Hashable, Sendable {
    package var domain: String
    package var certificate: CertificateMaterial

    package init(domain: String, certificate: CertificateMaterial) {
        self.domain = domain
        self.certificate = certificate
    }
}

/// TLS versions and pre-1.3 cipher suites. `ciphers` holds only OpenSSL names that BoringSSL supports
/// (research/swift-stack.md appendix C) and is never empty when TLS 1.2 or lower is enabled: the control plane
/// validates policies before they get here, since swift-nio-ssl traps on a list that matches nothing.
package struct TLSPolicy: Hashable, Sendable {
    package enum Version: String, Hashable, Sendable, CaseIterable, Comparable {
        case tls10 = "TLSv1.0"
        case tls11 = "TLSv1.1"
        case tls12 = "TLSv1.2"
        case tls13 = "TLSv1.3"

        package static func < (lhs: Version, rhs: Version) -> Bool {
            Self.allCases.firstIndex(of: lhs)! < Self.allCases.firstIndex(of: rhs)!
        }
    }

    /// The policy's name or id, for logs (`tls_cipher_policy_1_2`, `tls-...`).
    package var name: String
    package var minimumVersion: Version
    package var maximumVersion: Version
    /// OpenSSL cipher names for TLS 1.0-1.2.
    package var ciphers: [String]

    package init(name: String, minimumVersion: Version, maximumVersion: Version, ciphers: [String]) {
        self.name = name
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.ciphers = ciphers
    }
}

/// Health checking of a listener's backends (CLB `HealthCheck*` fields).
package struct HealthCheckSnapshot: Hashable, Sendable {
    /// `http` checks request `uri`; `tcp` only connects.
    package enum Kind: String, Hashable, Sendable { case http, tcp }

    package var kind: Kind
    /// Path of the HTTP check, e.g. `/health`.
    package var uri: String
    /// Host header of the HTTP check; nil means the backend's IP (CLB `$_ip`).
    package var domain: String?
    /// `GET` or `HEAD`.
    package var method: String
    /// Statuses that count as healthy: classes (`http_2xx` ... `http_5xx`, CLB), exact codes (`200`) or inclusive
    /// ranges (`200-204`) (ELB `expected_codes`).
    package var httpCodes: Set<String>
    /// Port to check; nil means the backend port.
    package var connectPort: Int?
    package var intervalSeconds: Int
    package var timeoutSeconds: Int
    /// Consecutive successes that make an unhealthy backend healthy again.
    package var healthyThreshold: Int
    /// Consecutive failures that take a backend out.
    package var unhealthyThreshold: Int

    package init(
        kind: Kind = .http, uri: String = "/", domain: String? = nil, method: String = "HEAD",
        httpCodes: Set<String> = ["http_2xx", "http_3xx"], connectPort: Int? = nil, intervalSeconds: Int = 2,
        timeoutSeconds: Int = 5, healthyThreshold: Int = 3, unhealthyThreshold: Int = 3
    ) {
        self.kind = kind
        self.uri = uri
        self.domain = domain
        self.method = method
        self.httpCodes = httpCodes
        self.connectPort = connectPort
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
    }

    /// Whether an HTTP check that got `status` passes.
    package func accepts(status: Int) -> Bool {
        self.httpCodes.contains { entry in
            if entry.hasPrefix("http_") { return entry == "http_\(status / 100)xx" }
            let bounds = entry.split(separator: "-", maxSplits: 1).compactMap { Int($0) }
            switch bounds.count {
            case 1: return bounds[0] == status
            case 2: return (bounds[0]...max(bounds[0], bounds[1])).contains(status)
            default: return false
            }
        }
    }
}
