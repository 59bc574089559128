package import Foundation

/// What Gatehouse knows about one X.509 certificate: the metadata every API and the CLI show.
///
/// Built by ``CertificateParser`` from DER with swift-asn1, so RSA-1024 and SM2 certificates, which
/// swift-certificates refuses to parse, are described like any other.
package struct CertificateInfo: Hashable, Sendable, Codable {
    /// The subject as an RFC 4514 string (most significant RDN last, as swift-certificates prints it).
    package var subject: String
    /// The subject's common name, if it has one.
    package var commonName: String?
    /// The issuer as an RFC 4514 string.
    package var issuer: String
    /// The issuer's common name, if it has one.
    package var issuerCommonName: String?
    /// DNS names from the subject alternative name extension, in order.
    package var dnsNames: [String]
    /// IP addresses from the subject alternative name extension, in text form.
    package var ipAddresses: [String]
    /// The serial number as lowercase hex, two digits a byte, no separators.
    package var serialNumber: String
    package var notBefore: Date
    package var notAfter: Date
    /// The subject public key's algorithm and size.
    package var key: KeyKind
    /// The signature algorithm's OpenSSL-style name, or its dotted OID when unknown.
    package var signatureAlgorithm: String
    /// SHA-1 of the DER, lowercase colon-separated hex (the Alibaba `Fingerprint` format).
    package var sha1Fingerprint: String
    /// SHA-256 of the DER, lowercase colon-separated hex.
    package var sha256Fingerprint: String
    /// Key usage bits that are set, by their RFC 5280 names (`digitalSignature`, `keyEncipherment`, ...).
    package var keyUsage: [String]
    /// Extended key usages by name (`serverAuth`, `clientAuth`, ...) or dotted OID.
    package var extendedKeyUsage: [String]
    /// Whether basic constraints say this is a CA certificate.
    package var isCA: Bool
    /// Whether the subject and issuer are the same name (a self-issued, usually self-signed, certificate).
    package var isSelfIssued: Bool

    /// The names a TLS client could match: DNS SANs, or the common name when there are none.
    package var domainNames: [String] {
        if !self.dnsNames.isEmpty { return self.dnsNames }
        return self.commonName.map { [$0] } ?? []
    }

    /// Whether the certificate has expired at `now`.
    package func isExpired(at now: Date) -> Bool { now > self.notAfter }
}
