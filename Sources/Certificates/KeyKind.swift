/// The algorithm and size of a public or private key, as far as policies care.
package enum KeyKind: Hashable, Sendable, Codable {
    /// RSA with the modulus length in bits.
    case rsa(bits: Int)
    /// ECDSA on a NIST curve.
    case ec(Curve)
    /// SM2 (GB/T 32918), an elliptic curve key on the SM2 curve.
    case sm2
    /// Ed25519.
    case ed25519
    /// Anything else, with the algorithm's dotted OID.
    case other(oid: String)

    /// The NIST curves that swift-nio-ssl and the clouds accept.
    package enum Curve: String, Hashable, Sendable, Codable, CaseIterable {
        case p256 = "P-256"
        case p384 = "P-384"
        case p521 = "P-521"
    }

    /// The algorithm family as the clouds name it: `RSA`, `EC`, `SM2`, ...
    package var algorithm: String {
        switch self {
        case .rsa: "RSA"
        case .ec: "EC"
        case .sm2: "SM2"
        case .ed25519: "Ed25519"
        case .other: "unknown"
        }
    }

    /// Key size in bits (the curve's field size for elliptic curves); `nil` when unknown.
    package var bits: Int? {
        switch self {
        case .rsa(let bits): bits
        case .ec(.p256), .sm2, .ed25519: 256
        case .ec(.p384): 384
        case .ec(.p521): 521
        case .other: nil
        }
    }
}

extension KeyKind: CustomStringConvertible {
    package var description: String {
        switch self {
        case .rsa(let bits): "RSA \(bits)"
        case .ec(let curve): "EC \(curve.rawValue)"
        case .sm2: "SM2"
        case .ed25519: "Ed25519"
        case .other(let oid): "unknown (\(oid))"
        }
    }
}
