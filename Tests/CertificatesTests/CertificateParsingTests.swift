import Certificates
import Foundation
import GatehouseTestSupport
import Testing

@Suite("Parsing certificates and keys")
struct CertificateParsingTests {
    let pki = TestPKI.shared

    @Test("Every key type is described, matched with its key, and fingerprinted as openssl does", arguments: [
        ("rsa1024", KeyKind.rsa(bits: 1024)), ("rsa2048", .rsa(bits: 2048)), ("rsa3072", .rsa(bits: 3072)),
        ("rsa4096", .rsa(bits: 4096)), ("p256", .ec(.p256)), ("p384", .ec(.p384)), ("p521", .ec(.p521)), ("sm2", .sm2),
    ])
    func keyTypes(name: String, kind: KeyKind) throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("\(name).crt"), privateKey: pki.pem("\(name).key"))
        let info = bundle.leaf.info
        #expect(info.key == kind)
        #expect(bundle.privateKey?.kind == kind)
        #expect(info.commonName == "\(name).test")
        #expect(CertificateValidator().check(bundle, policy: .any, now: Date()).problems.isEmpty)

        let sha1 = try opensslFingerprint("sha1", "\(name).crt")
        let sha256 = try opensslFingerprint("sha256", "\(name).crt")
        #expect(info.sha1Fingerprint == sha1)
        #expect(info.sha256Fingerprint == sha256)
        let serial = try pki.openssl(["x509", "-noout", "-serial", "-in", "\(name).crt"])
        #expect(info.serialNumber == serial.dropFirst("serial=".count).trimmingCharacters(in: .whitespacesAndNewlines).lowercased())
    }

    @Test("A leaf signed by an intermediate: names, SANs, usages, chain order")
    func chainMetadata() throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("a.chain.pem"), privateKey: pki.pem("a.key"))
        #expect(bundle.chain.count == 2)
        let leaf = bundle.leaf.info
        #expect(leaf.commonName == "a.test")
        #expect(leaf.dnsNames == ["a.test", "www.a.test"])
        #expect(leaf.ipAddresses == ["127.0.0.1"])
        #expect(leaf.issuerCommonName == "Gatehouse Test Intermediate CA")
        #expect(leaf.keyUsage == ["digitalSignature", "keyEncipherment"])
        #expect(leaf.extendedKeyUsage == ["serverAuth"])
        #expect(!leaf.isCA)
        #expect(leaf.signatureAlgorithm == "sha256WithRSAEncryption")
        #expect(bundle.chain[1].info.isCA)
        #expect(bundle.chain[1].info.keyUsage == ["keyCertSign", "cRLSign"])
        #expect(CertificateValidator().check(bundle, policy: .aliyunRSAOnly, now: Date()).problems.isEmpty)

        let dates = try pki.openssl(["x509", "-noout", "-enddate", "-in", "a.crt"])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "MMM d HH:mm:ss yyyy 'GMT'"
        let text = dates.dropFirst("notAfter=".count).trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "  ", with: " ")
        #expect(formatter.date(from: text) == leaf.notAfter)
    }

    @Test("SM2 signing and encryption certificates report their key usages")
    func smDualCertificates() throws {
        let sign = try CertificateBundle.read(certificates: pki.pem("sm-sign.crt"), privateKey: pki.pem("sm-sign.key"))
        let enc = try CertificateBundle.read(certificates: pki.pem("sm-enc.crt"), privateKey: pki.pem("sm-enc.key"))
        #expect(sign.leaf.info.key == .sm2)
        #expect(sign.leaf.info.signatureAlgorithm == "SM2-with-SM3")
        #expect(sign.leaf.info.keyUsage == ["digitalSignature", "nonRepudiation"])
        #expect(enc.leaf.info.keyUsage == ["keyEncipherment", "dataEncipherment", "keyAgreement"])
        #expect(CertificateValidator().check(sign, policy: .huawei, now: Date()).problems.isEmpty)
        #expect(CertificateValidator().check(enc, policy: .huawei, now: Date()).problems.isEmpty)
        #expect(try opensslFingerprint("sha256", "sm-sign.crt") == sign.leaf.info.sha256Fingerprint)
    }

    @Test("PKCS#1, PKCS#8 and SEC1 keys all parse and match", arguments: [
        ("rsa2048.crt", "rsa2048.pkcs1.key", PrivateKey.Format.pkcs1),
        ("rsa2048.crt", "rsa2048.key", .pkcs8),
        ("p256.crt", "p256.sec1.key", .sec1),
        ("p256.crt", "p256.key", .pkcs8),
        ("b.crt", "b.key", .sec1),
    ])
    func keyFormats(certificate: String, key: String, format: PrivateKey.Format) throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem(certificate), privateKey: pki.pem(key))
        #expect(bundle.privateKey?.format == format)
        #expect(!CertificateValidator().check(bundle, policy: .any, now: Date()).problems.contains(.keyDoesNotMatchLeaf))
    }

    @Test("Private keys never show up in descriptions")
    func keyRedaction() throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("a.crt"), privateKey: pki.pem("a.key"))
        let key = try #require(bundle.privateKey)
        #expect("\(key)".contains("<redacted>"))
        #expect(!"\(bundle)".contains(String(key.pem.split(separator: "\n")[1])))
    }

    @Test("A file with a chain and its key, as cert inspect reads it")
    func mixedFile() throws {
        let bundle = try CertificateBundle.read(mixed: pki.pem("a.chain.pem") + pki.pem("a.key"))
        #expect(bundle.chain.count == 2)
        #expect(bundle.privateKey?.kind == .rsa(bits: 2048))
    }

    private func opensslFingerprint(_ digest: String, _ file: String) throws -> String {
        let output = try pki.openssl(["x509", "-noout", "-fingerprint", "-\(digest)", "-in", file])
        return String(output.split(separator: "=")[1]).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
