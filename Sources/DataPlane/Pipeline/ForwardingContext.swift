import ControlPlane

/// What the proxy knows about a request's client and listener, for the headers it adds.
struct ForwardingContext: Sendable {
    var switches: ForwardedHeaders
    /// `http` or `https`.
    var scheme: String
    var clientIP: String?
    var clientPort: Int?
    /// The address the listener is bound to (`SLB-IP`).
    var listenerAddress: String
    var listenerPort: Int
    var loadBalancerID: String
    /// The verified client certificate on mTLS listeners.
    var clientCertificate: ClientCertificateDetails?
}
