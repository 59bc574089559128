import X509

/// One certificate of a chain: its DER, its metadata, and what chain and key checks need.
package struct ParsedCertificate: Hashable, Sendable {
    /// The certificate exactly as uploaded.
    package var der: [UInt8]
    /// The metadata shown to users.
    package var info: CertificateInfo
    /// The public key, for matching against a private key.
    package var publicKey: PublicKeyMaterial
    /// The raw DER of the subject and issuer names; chain links compare these.
    var subjectDER: [UInt8]
    var issuerDER: [UInt8]
    /// The swift-certificates view, when it can parse the certificate (not RSA < 2048, not SM2); used for
    /// signature checks.
    var x509: Certificate?

    /// The certificate as PEM.
    package var pem: String { PEMBlock(label: "CERTIFICATE", der: self.der).pem }

    /// Whether `issuer` names this certificate's issuer and, where both keys are supported, signed it.
    func isIssued(by issuer: ParsedCertificate) -> Bool {
        guard self.issuerDER == issuer.subjectDER else { return false }
        guard let child = self.x509, let parent = issuer.x509 else { return true }
        return parent.publicKey.isValidSignature(child.signature, for: child)
    }
}
