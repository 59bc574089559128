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
    /// A tagging call names a resource type that has no tags here.
    case unsupportedResourceType(String)
    /// A tagging call names a resource that does not exist in the region.
    case resourceNotFound(type: String, id: String)
    /// A parameter is missing or malformed; `name` is the parameter, `reason` a sentence.
    case invalidParameter(name: String, reason: String)
}

/// Which input of an upload a certificate error is about.
package enum CertificateField: String, Hashable, Sendable {
    case certificate
    case privateKey
    case encryptionCertificate
    case encryptionPrivateKey
}
