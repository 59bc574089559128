/// The public half of a key, in the form used to compare a certificate with a private key.
///
/// RSA is compared by modulus and exponent, elliptic curves by curve and encoded point. Nothing here can
/// sign or verify; it exists so that any key type, including SM2 and short RSA, can be matched.
package enum PublicKeyMaterial: Hashable, Sendable {
    case rsa(modulus: [UInt8], exponent: [UInt8])
    case ellipticCurve(curve: String, point: [UInt8])
    case other(algorithm: String, bytes: [UInt8])

    /// RSA integers without leading zero bytes, so DER sign padding does not matter.
    static func rsa(modulus: ArraySlice<UInt8>, exponent: ArraySlice<UInt8>) -> PublicKeyMaterial {
        .rsa(modulus: Array(modulus.drop { $0 == 0 }), exponent: Array(exponent.drop { $0 == 0 }))
    }

    /// The algorithm and size this key has.
    var kind: KeyKind {
        switch self {
        case .rsa(let modulus, _):
            guard let first = modulus.first else { return .rsa(bits: 0) }
            return .rsa(bits: (modulus.count - 1) * 8 + (8 - first.leadingZeroBitCount))
        case .ellipticCurve(let curve, _):
            switch curve {
            case OID.p256: return .ec(.p256)
            case OID.p384: return .ec(.p384)
            case OID.p521: return .ec(.p521)
            case OID.sm2Curve: return .sm2
            default: return .other(oid: curve)
            }
        case .other(let algorithm, _):
            return algorithm == OID.ed25519 ? .ed25519 : .other(oid: algorithm)
        }
    }
}

/// Dotted object identifiers the parsers recognise.
enum OID {
    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let ecPublicKey = "1.2.840.10045.2.1"
    static let ed25519 = "1.3.101.112"
    static let p256 = "1.2.840.10045.3.1.7"
    static let p384 = "1.3.132.0.34"
    static let p521 = "1.3.132.0.35"
    static let sm2Curve = "1.2.156.10197.1.301"
    static let sm2WithSM3 = "1.2.156.10197.1.501"

    static let signatureNames: [String: String] = [
        "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
        "1.2.840.113549.1.1.10": "rsassaPss",
        "1.2.840.10045.4.1": "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
        "1.3.101.112": "ED25519",
        sm2WithSM3: "SM2-with-SM3",
    ]
}
