/// Why a listener's TLS settings were refused. The listener keeps its previous configuration (or stays
/// unconfigured), and the reason is logged; nothing here ever holds key material.
package enum TLSConfigurationError: Error, Hashable, Sendable {
    /// An HTTPS listener came without TLS settings.
    case missingTLSSettings
    /// The default certificate's chain or key does not parse, or the key does not match the leaf.
    case certificateUnusable(certificateID: String)
    /// A domain extension's chain or key does not parse, or the key does not match the leaf.
    case sniCertificateUnusable(domain: String, certificateID: String)
    /// The client CA PEM holds no certificate swift-nio-ssl can load.
    case clientCAUnusable
    /// TLS 1.2 or lower is enabled but none of the policy's ciphers exists in BoringSSL (swift-nio-ssl would trap).
    case noUsableCiphers(policy: String)
    /// The policy's minimum version is above its maximum.
    case emptyVersionRange(policy: String)
}
