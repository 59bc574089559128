/// A certificate chain (leaf first) and, for server certificates, its private key, read from PEM.
///
/// Reading checks the shape of the input and throws the first structural problem; the rules that can all be
/// reported at once (chain order, key match, key policy, expiry) are ``CertificateValidator``'s.
package struct CertificateBundle: Hashable, Sendable {
    /// The certificates in upload order; the first is the leaf.
    package var chain: [ParsedCertificate]
    /// The private key, when one was given.
    package var privateKey: PrivateKey?

    /// The leaf certificate.
    package var leaf: ParsedCertificate { self.chain[0] }

    package init(chain: [ParsedCertificate], privateKey: PrivateKey?) {
        precondition(!chain.isEmpty, "a bundle has at least one certificate")
        self.chain = chain
        self.privateKey = privateKey
    }

    /// Reads an upload: `certificates` holds only CERTIFICATE blocks, `privateKey` (if given) exactly one key.
    package static func read(
        certificates: String,
        privateKey: String?,
        reader: PEMReader = PEMReader()
    ) throws(CertificateError) -> CertificateBundle {
        let certificateBlocks = try reader.blocks(in: certificates)
        let chain = try Self.certificates(from: certificateBlocks, strict: true)
        guard let privateKey else { return CertificateBundle(chain: chain, privateKey: nil) }
        return CertificateBundle(chain: chain, privateKey: try Self.readKey(privateKey, reader: reader))
    }

    /// Reads a private key input on its own: exactly one unencrypted key (an `EC PARAMETERS` block may precede it).
    package static func readKey(_ text: String, reader: PEMReader = PEMReader()) throws(CertificateError) -> PrivateKey {
        try Self.key(from: try reader.blocks(in: text), strict: true)
    }

    /// Reads a file that may mix certificates and a key, as `cert inspect` does.
    package static func read(mixed text: String, reader: PEMReader = PEMReader()) throws(CertificateError) -> CertificateBundle {
        let blocks = try reader.blocks(in: text)
        let chain = try Self.certificates(from: blocks, strict: false)
        let keyBlocks = blocks.filter { $0.label != "CERTIFICATE" }
        let key = keyBlocks.isEmpty ? nil : try Self.key(from: keyBlocks, strict: false)
        return CertificateBundle(chain: chain, privateKey: key)
    }

    private static func certificates(from blocks: [PEMBlock], strict: Bool) throws(CertificateError) -> [ParsedCertificate] {
        try Self.refuseDHAndEncryption(blocks)
        var chain: [ParsedCertificate] = []
        for block in blocks {
            guard block.label == "CERTIFICATE" else {
                if strict { throw .unexpectedBlock(label: block.label) }
                continue
            }
            do {
                chain.append(try CertificateParser.parse(der: block.der))
            } catch {
                throw .malformedCertificate(position: chain.count, reason: "\(error)")
            }
        }
        guard !chain.isEmpty else { throw .noCertificate }
        return chain
    }

    private static let keyLabels: Set<String> = ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"]

    private static func key(from blocks: [PEMBlock], strict: Bool) throws(CertificateError) -> PrivateKey {
        try Self.refuseDHAndEncryption(blocks)
        // `EC PARAMETERS` may precede an `EC PRIVATE KEY` (the 2021 CLB sample); it adds nothing the key lacks.
        let keys = blocks.filter { Self.keyLabels.contains($0.label) }
        if strict, let other = blocks.first(where: { !Self.keyLabels.contains($0.label) && $0.label != "EC PARAMETERS" }) {
            throw .unexpectedBlock(label: other.label)
        }
        guard keys.count == 1 else { throw .noPrivateKey }
        do {
            return try PrivateKeyParser.parse(keys[0])
        } catch {
            throw .malformedPrivateKey(reason: "\(error)")
        }
    }

    private static func refuseDHAndEncryption(_ blocks: [PEMBlock]) throws(CertificateError) {
        // `DH PARAMETERS`, and `X9.42 DH PARAMETERS` as `openssl dhparam -dsaparam` writes it.
        if blocks.contains(where: { $0.label.hasSuffix("DH PARAMETERS") }) { throw .dhParametersPresent }
        if blocks.contains(where: \.isEncryptedKey) { throw .encryptedPrivateKey }
    }
}
