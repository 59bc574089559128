import Certificates
import Crypto
import NIOSSL

/// What the proxy tells backends about an mTLS client's certificate (`X-Forwarded-Clientcert-*`).
struct ClientCertificateDetails: Sendable, Hashable {
    /// The subject DN in RFC 4514 form, e.g. `O=Gatehouse Clients,CN=client-1`; empty if it does not parse.
    var subject: String
    /// The issuer DN; empty if it does not parse.
    var issuer: String
    /// Lowercase hex SHA-256 of the certificate's DER.
    var fingerprint: String

    /// Reads a peer certificate with the Certificates module's parser (which also handles SM2); never calls
    /// `extractPublicKey`, which traps on SM2.
    init(_ certificate: NIOSSLCertificate) throws {
        let der = try certificate.toDERBytes()
        let pem = PEMBlock(label: "CERTIFICATE", der: der).pem
        let info = try? CertificateBundle.read(certificates: pem, privateKey: nil).leaf.info
        self.subject = info?.subject ?? ""
        self.issuer = info?.issuer ?? ""
        let digits = Array("0123456789abcdef".utf8)
        self.fingerprint = String(
            decoding: SHA256.hash(data: der).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] },
            as: UTF8.self
        )
    }
}
