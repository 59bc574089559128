package import Certificates

/// Why the control plane refused a request. One case per rule; each API front maps every case to its own wire
/// code (with no `default:`), so a new rule does not compile until both fronts decide what to send.
package enum ControlPlaneError: Error, Hashable, Sendable {
    /// The region is not served here (`--region`).
    case regionNotAuthorized(String)
    /// The certificate or private key input is missing or empty.
    case certificateOrKeyMissing
    /// The input broke a certificate rule; `field` says which input.
    case invalidCertificate(CertificateError, field: CertificateField)
    /// A certificate or CA name breaks the naming rule.
    case invalidName(String)
    /// The region already holds `limit` certificates of this kind.
    case quotaExceeded(CertificateKind, limit: Int)
    /// No certificate of this kind with this id in the region.
    case certificateNotFound(CertificateKind, id: String)
    /// The certificate is bound to a listener or domain extension.
    case certificateInUse(String)
    /// The operator's certificate store has no such entry (`AliCloudCertificateId`).
    case storeCertificateNotFound(String)
    /// The operator's certificate store holds server certificates only (seed 003).
    case storeHoldsNoCACertificates
    /// A tag key breaks the tag rules (1-64 characters, no `aliyun`/`acs:` prefix, no `http(s)://`).
    case invalidTagKey(String)
    /// A tag value breaks the tag rules (at most 128 characters, no `aliyun`/`acs:` prefix, no `http(s)://`).
    case invalidTagValue(String)
    /// A tag has a value but no key.
    case missingTagKey
    /// More tags than allowed, on one request or on one resource.
    case tooManyTags(limit: Int)
    /// An SM dual certificate was bound to a listener: stored and valid, but the data plane (BoringSSL) has no
    /// TLCP, so it cannot be served. Refused when binding rather than failing silently at handshake time.
    case smCertificateNotServable(String)
    /// `enc_certificate`/`enc_private_key` are only for SM dual certificates (`server_sm`).
    case encryptionPairOnlyForSM
    /// A certificate of an SM pair lacks the key usage its role needs (signing: digitalSignature; encryption:
    /// keyEncipherment, dataEncipherment or keyAgreement).
    case keyUsageMismatch(field: CertificateField, needed: String)
    /// A tagging call names a resource type that has no tags here.
    case unsupportedResourceType(String)
    /// A tagging call names a resource that does not exist in the region.
    case resourceNotFound(type: String, id: String)
    /// A parameter is missing or malformed; `name` is the parameter, `reason` a sentence.
    case invalidParameter(name: String, reason: String)
    /// A required parameter is absent.
    case missingParameter(String)
    /// No load balancer with this id in the region.
    case loadBalancerNotFound(String)
    /// The load balancer has delete protection on.
    case deleteProtected(String)
    /// The load balancer has no listener on this port.
    case listenerNotFound(loadBalancerID: String, port: Int)
    /// The port already has a listener.
    case listenerAlreadyExists(port: Int)
    /// The load balancer already has the maximum number of listeners (50 by default).
    case listenerQuotaExceeded(limit: Int)
    /// The operation is not allowed in the listener's current status (start needs `stopped`).
    case listenerStatusConflict(status: String, operation: String)
    /// Starting failed because the data plane could not bind the address and port.
    case listenerBindFailed(address: String, port: Int, reason: String)
    /// The listener's protocol does not support the operation (domain extensions need HTTPS).
    case listenerProtocolMismatch(expected: ListenerProtocol)
    /// No domain extension with this id in the region.
    case domainExtensionNotFound(String)
    /// The listener already has the maximum number of domain extensions (3 by default).
    case domainExtensionQuotaExceeded(limit: Int)
    /// The listener already has a domain extension for this domain.
    case domainExtensionAlreadyExists(String)
    /// A domain breaks the domain rule (letters, digits, `-`, `.`; a leading `*.` wildcard).
    case invalidDomain(String)
    /// The certificate's names do not cover the domain it is bound to.
    case certificateDoesNotCoverDomain(domain: String, certificateID: String)
    /// An `ecs` backend names a server nobody registered, or a removal names an unknown backend.
    case backendServerNotFound(String)
    /// The backend server is already attached to the load balancer.
    case backendServerAlreadyExists(String)
    /// No TLS cipher policy with this name or id.
    case tlsPolicyNotFound(String)
    /// The TLS cipher policy is used by a listener.
    case tlsPolicyInUse(String)
    /// A TLS cipher policy's versions and ciphers leave nothing this data plane can negotiate.
    case tlsPolicyUnsupported(String)
    /// The request conflicts with the current state (a resource still in use, a duplicate); the text says how.
    case conflict(String)
    /// The request asks for something this load balancer does not do (a protocol, an algorithm); the text says what.
    case unsupported(String)
}

/// Which input of an upload a certificate error is about.
package enum CertificateField: String, Hashable, Sendable {
    case certificate
    case privateKey
    case encryptionCertificate
    case encryptionPrivateKey
}
