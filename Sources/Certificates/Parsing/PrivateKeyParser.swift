import Crypto
import SwiftASN1

/// Reads the three unencrypted private key encodings (PKCS#1, PKCS#8, SEC1) with swift-asn1 and recovers
/// each key's public half, for any key type the product stores: RSA of any size, NIST curves, SM2, Ed25519.
enum PrivateKeyParser {
    static func parse(_ block: PEMBlock) throws -> PrivateKey {
        let material: PublicKeyMaterial
        let format: PrivateKey.Format
        switch block.label {
        case "RSA PRIVATE KEY":
            (material, format) = (try Self.pkcs1(block.der), .pkcs1)
        case "EC PRIVATE KEY":
            (material, format) = (try Self.sec1(block.der, curve: nil), .sec1)
        case "PRIVATE KEY":
            (material, format) = (try Self.pkcs8(block.der), .pkcs8)
        default:
            throw ASN1Error.invalidASN1Object(reason: "unsupported key block \(block.label)")
        }
        return PrivateKey(kind: material.kind, format: format, publicKey: material, block: block)
    }

    /// RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, privateExponent, ... }
    private static func pkcs1(_ der: [UInt8]) throws -> PublicKeyMaterial {
        try DER.sequence(Self.root(der), identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)
            let modulus = try ArraySlice<UInt8>(derEncoded: &nodes)
            let exponent = try ArraySlice<UInt8>(derEncoded: &nodes)
            for _ in 0..<6 { _ = try ArraySlice<UInt8>(derEncoded: &nodes) }
            while nodes.next() != nil {}
            guard modulus.contains(where: { $0 != 0 }) else { throw ASN1Error.invalidASN1Object(reason: "zero modulus") }
            return .rsa(modulus: modulus, exponent: exponent)
        }
    }

    /// PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
    private static func pkcs8(_ der: [UInt8]) throws -> PublicKeyMaterial {
        try DER.sequence(Self.root(der), identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)
            let (algorithm, parameter) = try CertificateParser.algorithmIdentifier(nodes.next().orThrow("no algorithm"))
            let inner = try ASN1OctetString(derEncoded: &nodes)
            while nodes.next() != nil {}
            switch algorithm {
            case OID.rsaEncryption:
                return try Self.pkcs1(Array(inner.bytes))
            case OID.ecPublicKey:
                return try Self.sec1(Array(inner.bytes), curve: parameter)
            case OID.ed25519:
                let seed = try ASN1OctetString(derEncoded: DER.parse(inner.bytes))
                let key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed.bytes)
                return .other(algorithm: OID.ed25519, bytes: Array(key.publicKey.rawRepresentation))
            default:
                throw ASN1Error.invalidASN1Object(reason: "unsupported key algorithm \(algorithm)")
            }
        }
    }

    /// ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, parameters [0] OPTIONAL, publicKey [1] OPTIONAL }
    private static func sec1(_ der: [UInt8], curve outerCurve: String?) throws -> PublicKeyMaterial {
        try DER.sequence(Self.root(der), identifier: .sequence) { nodes in
            _ = try Int(derEncoded: &nodes)
            let scalar = try ASN1OctetString(derEncoded: &nodes)
            let innerCurve = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) {
                try ASN1ObjectIdentifier(derEncoded: $0).description
            }
            let embedded = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 1, tagClass: .contextSpecific) {
                try ASN1BitString(derEncoded: $0)
            }
            while nodes.next() != nil {}
            guard let curve = innerCurve ?? outerCurve else {
                throw ASN1Error.invalidASN1Object(reason: "EC key without curve parameters")
            }
            // Derive the public point where swift-crypto can, so a tampered embedded point is caught too.
            let derived: [UInt8]? =
                switch curve {
                case OID.p256: Array(try P256.Signing.PrivateKey(rawRepresentation: scalar.bytes).publicKey.x963Representation)
                case OID.p384: Array(try P384.Signing.PrivateKey(rawRepresentation: scalar.bytes).publicKey.x963Representation)
                case OID.p521: Array(try P521.Signing.PrivateKey(rawRepresentation: scalar.bytes).publicKey.x963Representation)
                default: nil
                }
            guard let point = derived ?? embedded.map({ Array($0.bytes) }) else {
                throw ASN1Error.invalidASN1Object(reason: "EC key without a public key")
            }
            return .ellipticCurve(curve: curve, point: point)
        }
    }

    private static func root(_ der: [UInt8]) throws -> ASN1Node {
        let node = try DER.parse(der)
        guard node.encodedBytes.count == der.count else { throw ASN1Error.invalidASN1Object(reason: "trailing bytes") }
        return node
    }
}
