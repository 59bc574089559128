import Crypto
import SwiftASN1
import X509

/// Parses X.509 DER into ``ParsedCertificate`` with swift-asn1.
///
/// swift-certificates decodes the public key eagerly and refuses RSA keys under 2048 bits and SM2 keys
/// (research/swift-stack.md 2.4). This walker reads the TBSCertificate itself, so every certificate can be
/// described; swift-certificates is still used for names and extensions, which parse independently of the key.
enum CertificateParser {
    static func parse(der: [UInt8]) throws -> ParsedCertificate {
        let root = try DER.parse(der)
        guard root.encodedBytes.count == der.count else {
            throw ASN1Error.invalidASN1Object(reason: "trailing bytes after the certificate")
        }
        var result = try DER.sequence(root, identifier: .sequence) { outer in
            guard let tbs = outer.next() else { throw ASN1Error.invalidASN1Object(reason: "no TBSCertificate") }
            let signatureAlgorithm = try DER.sequence(outer.next().orThrow("no signatureAlgorithm"), identifier: .sequence) {
                algorithmNodes in
                let oid = try ASN1ObjectIdentifier(derEncoded: &algorithmNodes)
                while algorithmNodes.next() != nil {}
                return oid
            }
            _ = try ASN1BitString(derEncoded: try outer.next().orThrow("no signatureValue"))
            guard outer.next() == nil else { throw ASN1Error.invalidASN1Object(reason: "extra fields") }
            return try Self.parseTBS(tbs, signatureAlgorithm: signatureAlgorithm, der: der)
        }
        result.x509 = try? Certificate(derEncoded: der)
        return result
    }

    private static func parseTBS(
        _ tbs: ASN1Node,
        signatureAlgorithm: ASN1ObjectIdentifier,
        der: [UInt8]
    ) throws -> ParsedCertificate {
        try DER.sequence(tbs, identifier: .sequence) { nodes in
            _ = try DER.optionalExplicitlyTagged(&nodes, tagNumber: 0, tagClass: .contextSpecific) { try Int(derEncoded: $0) }
            let serial = try ArraySlice<UInt8>(derEncoded: &nodes)
            _ = try DER.sequence(nodes.next().orThrow("no signature"), identifier: .sequence) { inner in
                while inner.next() != nil {}
            }
            let issuerNode = try nodes.next().orThrow("no issuer")
            let issuer = try DistinguishedName(derEncoded: issuerNode)
            let (notBefore, notAfter) = try DER.sequence(nodes.next().orThrow("no validity"), identifier: .sequence) {
                v in
                (try ASN1Time.date(from: v.next().orThrow("no notBefore")),
                 try ASN1Time.date(from: v.next().orThrow("no notAfter")))
            }
            let subjectNode = try nodes.next().orThrow("no subject")
            let subject = try DistinguishedName(derEncoded: subjectNode)
            let publicKey = try Self.parseSPKI(nodes.next().orThrow("no subjectPublicKeyInfo"))
            var extensions = Certificate.Extensions()
            while let node = nodes.next() {
                guard node.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) else { continue }
                extensions = try DER.explicitlyTagged(node, tagNumber: 3, tagClass: .contextSpecific) {
                    try Certificate.Extensions(DER.sequence(of: Certificate.Extension.self, identifier: .sequence, rootNode: $0))
                }
            }

            let sans = try extensions.subjectAlternativeNames.map(Array.init) ?? []
            let info = CertificateInfo(
                subject: subject.description,
                commonName: subject.commonName,
                issuer: issuer.description,
                issuerCommonName: issuer.commonName,
                dnsNames: sans.compactMap { if case .dnsName(let name) = $0 { name } else { nil } },
                ipAddresses: sans.compactMap { if case .ipAddress(let bytes) = $0 { IPText.format(bytes.bytes) } else { nil } },
                serialNumber: Hex.string(serial, separator: ""),
                notBefore: notBefore,
                notAfter: notAfter,
                key: publicKey.kind,
                signatureAlgorithm: OID.signatureNames[signatureAlgorithm.description] ?? signatureAlgorithm.description,
                sha1Fingerprint: Hex.string(Insecure.SHA1.hash(data: der), separator: ":"),
                sha256Fingerprint: Hex.string(SHA256.hash(data: der), separator: ":"),
                keyUsage: try extensions.keyUsage.map(Self.names) ?? [],
                extendedKeyUsage: try extensions.extendedKeyUsage.map { $0.map(Self.name) } ?? [],
                isCA: try extensions.basicConstraints.map { if case .isCertificateAuthority = $0 { true } else { false } } ?? false,
                isSelfIssued: issuerNode.encodedBytes == subjectNode.encodedBytes
            )
            return ParsedCertificate(
                der: der,
                info: info,
                publicKey: publicKey,
                subjectDER: Array(subjectNode.encodedBytes),
                issuerDER: Array(issuerNode.encodedBytes),
                x509: nil
            )
        }
    }

    /// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    static func parseSPKI(_ node: ASN1Node) throws -> PublicKeyMaterial {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let (algorithm, parameter) = try Self.algorithmIdentifier(nodes.next().orThrow("no algorithm"))
            let key = try ASN1BitString(derEncoded: nodes.next().orThrow("no subjectPublicKey"))
            switch algorithm {
            case OID.rsaEncryption:
                return try RSAPublicKeyFields.parse(Array(key.bytes))
            case OID.ecPublicKey:
                return .ellipticCurve(curve: parameter ?? "", point: Array(key.bytes))
            default:
                return .other(algorithm: algorithm, bytes: Array(key.bytes))
            }
        }
    }

    /// AlgorithmIdentifier ::= SEQUENCE { algorithm OID, parameters ANY OPTIONAL }: the OID and, when the
    /// parameter is an OID (a named curve), that too.
    static func algorithmIdentifier(_ node: ASN1Node) throws -> (algorithm: String, parameter: String?) {
        try DER.sequence(node, identifier: .sequence) { nodes in
            let oid = try ASN1ObjectIdentifier(derEncoded: &nodes)
            let parameter = nodes.next().flatMap { try? ASN1ObjectIdentifier(derEncoded: $0) }
            while nodes.next() != nil {}
            return (oid.description, parameter?.description)
        }
    }

    private static func names(_ usage: KeyUsage) -> [String] {
        [
            (usage.digitalSignature, "digitalSignature"), (usage.nonRepudiation, "nonRepudiation"),
            (usage.keyEncipherment, "keyEncipherment"), (usage.dataEncipherment, "dataEncipherment"),
            (usage.keyAgreement, "keyAgreement"), (usage.keyCertSign, "keyCertSign"), (usage.cRLSign, "cRLSign"),
            (usage.encipherOnly, "encipherOnly"), (usage.decipherOnly, "decipherOnly"),
        ].filter(\.0).map(\.1)
    }

    private static func name(_ usage: ExtendedKeyUsage.Usage) -> String {
        switch usage {
        case .serverAuth: "serverAuth"
        case .clientAuth: "clientAuth"
        case .codeSigning: "codeSigning"
        case .emailProtection: "emailProtection"
        case .timeStamping: "timeStamping"
        case .ocspSigning: "OCSPSigning"
        case .any: "anyExtendedKeyUsage"
        default: usage.description
        }
    }
}

/// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
enum RSAPublicKeyFields {
    static func parse(_ bytes: [UInt8]) throws -> PublicKeyMaterial {
        try DER.sequence(DER.parse(bytes), identifier: .sequence) { nodes in
            let modulus = try ArraySlice<UInt8>(derEncoded: &nodes)
            let exponent = try ArraySlice<UInt8>(derEncoded: &nodes)
            return .rsa(modulus: modulus, exponent: exponent)
        }
    }
}

extension Optional {
    /// Unwraps a node that DER requires, or throws a parse error that says which one was missing.
    func orThrow(_ reason: String) throws -> Wrapped {
        guard let value = self else { throw ASN1Error.invalidASN1Object(reason: reason) }
        return value
    }
}

extension DistinguishedName {
    /// The first common name attribute, as text.
    var commonName: String? {
        for rdn in self {
            for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
                return String(describing: attribute.value)
            }
        }
        return nil
    }
}
