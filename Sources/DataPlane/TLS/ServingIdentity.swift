import ControlPlane
import NIOSSL

/// A certificate chain and key parsed once, ready to hand to a handshake. Never printed: it holds the key.
struct ServingIdentity: Sendable {
    /// The certificate id, for logs.
    var certificateID: String
    var chain: [NIOSSLCertificateSource]
    var key: NIOSSLPrivateKeySource

    /// Parses `material`'s PEM chain and key.
    ///
    /// Does not call `extractPublicKey()`, which traps on SM2 certificates; a key that does not match is found
    /// by ``TLSContextBuilder`` when it builds a context from the pair.
    init(_ material: CertificateMaterial) throws {
        let certificates = try NIOSSLCertificate.fromPEMBytes(Array(material.chainPEM.utf8))
        guard !certificates.isEmpty else { throw NIOSSLError.failedToLoadCertificate }
        self.certificateID = material.id
        self.chain = certificates.map { .certificate($0) }
        self.key = .privateKey(try NIOSSLPrivateKey(bytes: Array(material.privateKeyPEM.utf8), format: .pem))
    }

    /// The override that makes a handshake serve this identity.
    var override: NIOSSLContextConfigurationOverride {
        var override = NIOSSLContextConfigurationOverride()
        override.certificateChain = self.chain
        override.privateKey = self.key
        return override
    }
}
