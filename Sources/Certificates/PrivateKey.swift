/// An unencrypted private key, parsed far enough to know its type and to match it with a certificate.
///
/// Its `description` never shows key material; only ``pem`` does, and only Storage (to encrypt it) and the
/// data plane (to serve it) read that.
package struct PrivateKey: Hashable, Sendable {
    /// The three encodings the product accepts.
    package enum Format: String, Hashable, Sendable, Codable {
        /// PEM label `RSA PRIVATE KEY`
        case pkcs1 = "PKCS#1"
        /// PEM label `PRIVATE KEY`
        case pkcs8 = "PKCS#8"
        /// PEM label `EC PRIVATE KEY`
        case sec1 = "SEC1"
    }

    package var kind: KeyKind
    package var format: Format
    package var publicKey: PublicKeyMaterial
    var block: PEMBlock

    /// The key as PEM, in the encoding it was uploaded in.
    package var pem: String { self.block.pem }
}

extension PrivateKey: CustomStringConvertible, CustomDebugStringConvertible {
    package var description: String { "PrivateKey(\(self.kind), \(self.format.rawValue), <redacted>)" }
    package var debugDescription: String { self.description }
}
