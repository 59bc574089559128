package import Foundation

/// The three certificate types of seed 004.
package enum CertificateKind: String, Hashable, Sendable, CaseIterable {
    /// A server certificate with its private key (one-way authentication).
    case server
    /// A CA certificate that verifies client certificates (mutual authentication).
    case ca
    /// An SM2 dual certificate: signing pair and encryption pair.
    case serverSM = "server_sm"
}

/// A key-value tag on a resource.
package struct Tag: Hashable, Sendable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// A certificate as the control plane shows it: metadata only, never key material.
package struct Certificate: Hashable, Sendable {
    package var id: String
    package var regionID: String
    package var kind: CertificateKind
    package var name: String
    package var description: String
    package var domain: String?
    /// The chain as uploaded (leaf first). Public material; the API fronts decide whether to show it.
    package var certificatePEM: String
    package var encCertificatePEM: String?
    package var commonName: String?
    package var subjectAlternativeNames: [String]
    package var issuer: String
    package var serialNumber: String
    /// SHA-1 of the leaf, lowercase colon hex (the Alibaba `Fingerprint`).
    package var fingerprintSHA1: String
    package var fingerprintSHA256: String
    package var keyAlgorithm: String
    package var keyBits: Int
    package var notBefore: Date
    package var notAfter: Date
    package var createdAt: Date
    package var updatedAt: Date
    /// Set when imported from the operator's certificate store (Alibaba `AliCloudCertificateId`).
    package var storeCertificateID: String?
    package var storeCertificateName: String?
    package var resourceGroupID: String?
    package var tags: [Tag]
}
