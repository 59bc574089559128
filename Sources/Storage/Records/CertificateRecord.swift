/// A stored certificate: the chain as uploaded, its parsed metadata, and where its key material lives.
///
/// Key material is not part of the record: read it with ``CertificateRepository/privateKeys(of:)``.
package struct CertificateRecord: Hashable, Sendable, Codable {
    package var id: String
    package var regionID: String
    /// `server`, `ca` or `server_sm` (the three types of seed 004).
    package var kind: String
    package var name: String
    package var description: String
    /// The domain an SNI certificate serves (Huawei `domain`), if set.
    package var domain: String?
    package var certificatePEM: String
    package var encCertificatePEM: String?
    package var commonName: String?
    /// DNS SANs, in certificate order.
    package var subjectAlternativeNames: [String]
    package var issuer: String
    package var serialNumber: String
    package var fingerprintSHA1: String
    package var fingerprintSHA256: String
    package var keyAlgorithm: String
    package var keyBits: Int
    package var notBefore: Int64
    package var notAfter: Int64
    /// `upload`, or `store` for certificates imported from the operator's certificate store.
    package var source: String
    package var sourceID: String?
    package var resourceGroupID: String?
    package var createdAt: Int64
    package var updatedAt: Int64

    package init(
        id: String, regionID: String, kind: String, name: String, description: String = "", domain: String? = nil,
        certificatePEM: String, encCertificatePEM: String? = nil, commonName: String?, subjectAlternativeNames: [String],
        issuer: String, serialNumber: String, fingerprintSHA1: String, fingerprintSHA256: String, keyAlgorithm: String,
        keyBits: Int, notBefore: Int64, notAfter: Int64, source: String = "upload", sourceID: String? = nil,
        resourceGroupID: String? = nil, createdAt: Int64, updatedAt: Int64
    ) {
        self.id = id
        self.regionID = regionID
        self.kind = kind
        self.name = name
        self.description = description
        self.domain = domain
        self.certificatePEM = certificatePEM
        self.encCertificatePEM = encCertificatePEM
        self.commonName = commonName
        self.subjectAlternativeNames = subjectAlternativeNames
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.fingerprintSHA1 = fingerprintSHA1
        self.fingerprintSHA256 = fingerprintSHA256
        self.keyAlgorithm = keyAlgorithm
        self.keyBits = keyBits
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.source = source
        self.sourceID = sourceID
        self.resourceGroupID = resourceGroupID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The private keys of a server (or SM dual) certificate, decrypted.
package struct PrivateKeyMaterial: Hashable, Sendable, CustomStringConvertible {
    package var privateKeyPEM: String?
    package var encPrivateKeyPEM: String?

    package init(privateKeyPEM: String?, encPrivateKeyPEM: String? = nil) {
        self.privateKeyPEM = privateKeyPEM
        self.encPrivateKeyPEM = encPrivateKeyPEM
    }

    package var description: String { "PrivateKeyMaterial(<redacted>)" }
}
