import Certificates
import Foundation
import GatehouseTestSupport
import Testing

@Suite("Certificate rules and their errors")
struct CertificateRuleTests {
    let pki = TestPKI.shared
    let validator = CertificateValidator()

    private func readError(_ certificates: String, _ key: String? = nil, reader: PEMReader = PEMReader()) -> CertificateError? {
        do {
            _ = try CertificateBundle.read(certificates: certificates, privateKey: key, reader: reader)
            return nil
        } catch {
            return error
        }
    }

    @Test("Empty input")
    func empty() {
        #expect(readError("") == .emptyInput)
        #expect(readError(" \n\n\t") == .emptyInput)
        #expect(readError(pki.pem("a.crt"), "") == .emptyInput)
    }

    @Test("Not PEM: DER bytes, text, stray lines")
    func notPEM() {
        #expect(readError("hello world") == .notPEM(reason: "unexpected text at line 1"))
        #expect(readError("subject=CN = a.test\n" + pki.pem("a.crt")) == .notPEM(reason: "unexpected text at line 1"))
        #expect(readError("-----END CERTIFICATE-----\n") == .notPEM(reason: "an END line without BEGIN at line 1"))
    }

    @Test("Bad base64 and truncated blocks")
    func badBase64AndTruncation() {
        let pem = pki.pem("a.crt")
        var lines = pem.split(separator: "\n").map(String.init)
        lines[2] = String(lines[2].dropLast(3)) + " A!"
        #expect(readError(lines.joined(separator: "\n")) == .badBase64(label: "CERTIFICATE"))
        let truncated = pem.split(separator: "\n").dropLast().joined(separator: "\n")
        #expect(readError(truncated) == .truncated(label: "CERTIFICATE"))
        let cut = String(pem.prefix(pem.count / 2))
        #expect(readError(cut) == .truncated(label: "CERTIFICATE"))
        #expect(readError("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n") == .truncated(label: "CERTIFICATE"))
    }

    @Test("Blank lines inside a block or between the certificates of a chain")
    func blankLines() {
        let chain = pki.pem("a.crt") + "\n" + pki.pem("int.crt")
        #expect(readError(chain) == .blankLinesInChain(line: 1 + pki.pem("a.crt").split(separator: "\n").count))
        var lines = pki.pem("a.crt").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("", at: 3)
        #expect(readError(lines.joined(separator: "\n")) == .blankLinesInChain(line: 4))
        // Windows line ends and trailing blank lines are fine.
        #expect(readError(pki.pem("a.chain.pem").replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\r\n") == nil)
    }

    @Test("DH PARAMETERS blocks are refused, in the certificate or in the key")
    func dhParameters() {
        #expect(readError(pki.pem("rsa2048.with-dh.pem")) == .dhParametersPresent)
        #expect(readError(pki.pem("rsa2048.crt"), pki.pem("rsa2048.key") + pki.pem("dh.pem")) == .dhParametersPresent)
    }

    @Test("Encrypted keys are refused in both encodings", arguments: ["rsa2048.enc.pk8.key", "rsa2048.enc.trad.key"])
    func encryptedKeys(file: String) {
        #expect(readError(pki.pem("rsa2048.crt"), pki.pem(file)) == .encryptedPrivateKey)
    }

    @Test("A key that belongs to another certificate")
    func mismatchedKey() throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("a.chain.pem"), privateKey: pki.pem("rsa2048.key"))
        #expect(validator.check(bundle, policy: .any, now: Date()).problems == [.keyDoesNotMatchLeaf])
        let ec = try CertificateBundle.read(certificates: pki.pem("b.crt"), privateKey: pki.pem("p256.key"))
        #expect(validator.check(ec, policy: .any, now: Date()).problems == [.keyDoesNotMatchLeaf])
    }

    @Test("A chain with the intermediate first")
    func misorderedChain() throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("a.misordered.pem"), privateKey: pki.pem("a.key"))
        let problems = validator.check(bundle, policy: .any, now: Date()).problems
        #expect(problems == [.chainMisordered(position: 0), .keyDoesNotMatchLeaf])
    }

    @Test("Unrelated certificates in one chain")
    func unrelatedChain() throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("a.crt") + pki.pem("other-ca.crt"), privateKey: nil)
        #expect(validator.check(bundle, policy: .any, now: Date()).problems == [.chainMisordered(position: 0)])
    }

    @Test("Too many certificates in the chain")
    func chainLength() throws {
        let long = String(repeating: pki.pem("root.crt"), count: 3)
        let bundle = try CertificateBundle.read(certificates: long, privateKey: nil)
        let problems = CertificateValidator(maximumChainLength: 2).check(bundle, policy: .any, now: Date()).problems
        #expect(problems.first == .tooManyCertificates(count: 3, limit: 2))
    }

    @Test("Input over the size limit")
    func sizeLimit() {
        let pem = pki.pem("rsa4096.crt")
        #expect(readError(pem, reader: PEMReader(maximumBytes: 100)) == .inputTooLarge(bytes: pem.utf8.count, limit: 100))
    }

    @Test("Key algorithm and size against each policy", arguments: [
        ("rsa1024", KeyPolicy.aliyunRSAOnly, true), ("rsa2048", .aliyunRSAOnly, true), ("rsa3072", .aliyunRSAOnly, false),
        ("rsa4096", .aliyunRSAOnly, true), ("p256", .aliyunRSAOnly, false), ("p384", .aliyunWithECC, true),
        ("sm2", .aliyunWithECC, false), ("sm2", .huawei, true), ("rsa1024", .huawei, false), ("p521", .huawei, true),
    ])
    func keyPolicy(name: String, policy: KeyPolicy, allowed: Bool) throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("\(name).crt"), privateKey: pki.pem("\(name).key"))
        let problems = validator.check(bundle, policy: policy, now: Date()).problems
        #expect(problems == (allowed ? [] : [.keyNotAllowed(bundle.leaf.info.key)]))
    }

    @Test("Expired and not yet valid certificates are reported, not refused")
    func validity() throws {
        let bundle = try CertificateBundle.read(certificates: pki.pem("a.chain.pem"), privateKey: pki.pem("a.key"))
        let later = bundle.leaf.info.notAfter.addingTimeInterval(1)
        let report = validator.check(bundle, policy: .any, now: later)
        #expect(report.problems == [.expired(position: 0)])
        #expect(report.leafExpired)
        #expect(report.firstDefect == nil)
        let earlier = bundle.chain[1].info.notBefore.addingTimeInterval(-1)
        #expect(validator.check(bundle, policy: .any, now: earlier).problems == [.notYetValid(position: 0), .notYetValid(position: 1)])
    }

    @Test("Keys in the certificate field and certificates in the key field are refused")
    func wrongBlocks() {
        #expect(readError(pki.pem("a.crt") + pki.pem("a.key")) == .unexpectedBlock(label: "PRIVATE KEY"))
        #expect(readError(pki.pem("a.crt"), pki.pem("a.crt")) == .unexpectedBlock(label: "CERTIFICATE"))
        #expect(readError(pki.pem("a.crt"), pki.pem("a.key") + pki.pem("rsa2048.key")) == .noPrivateKey)
        #expect(readError(pki.pem("a.key")) == .unexpectedBlock(label: "PRIVATE KEY"))
    }

    @Test("A CERTIFICATE block that holds something else")
    func malformedCertificate() {
        let fake = PEMBlock(label: "CERTIFICATE", der: [0x30, 0x03, 0x02, 0x01, 0x01]).pem
        guard case .malformedCertificate(position: 0, _) = readError(fake) else {
            Issue.record("expected malformedCertificate")
            return
        }
    }
}
