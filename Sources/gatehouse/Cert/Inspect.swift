import ArgumentParser
import Certificates
import Foundation

/// `gatehouse cert inspect FILE...`: what the certificate engine sees in PEM files, and every rule they break.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what Gatehouse sees in PEM files (chain, key, fingerprints) and every rule they break.",
        discussion: "Each file may hold a chain (leaf first) and optionally its private key. Exit status 1 if any file is refused."
    )

    enum Policy: String, ExpressibleByArgument, CaseIterable {
        case any, aliyun, aliyunECC = "aliyun-ecc", huawei
        var keyPolicy: KeyPolicy {
            switch self {
            case .any: .any
            case .aliyun: .aliyunRSAOnly
            case .aliyunECC: .aliyunWithECC
            case .huawei: .huawei
            }
        }
    }

    @Argument(help: "PEM files.") var files: [String]
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Option(help: "Key policy to check against: \(Policy.allCases.map(\.rawValue).joined(separator: ", ")).")
    var policy: Policy = .any

    func run() throws {
        let reports = self.files.map { InspectionReport(file: $0, policy: self.policy.keyPolicy, now: Date()) }
        if self.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        } else {
            print(reports.map { $0.table(policy: self.policy.rawValue) }.joined(separator: "\n"))
        }
        if reports.contains(where: \.refused) { throw ExitCode(1) }
    }
}

/// One file's findings, as JSON or as a table.
struct InspectionReport: Encodable {
    struct Problem: Encodable {
        var code: String
        var message: String
        var refuses: Bool
    }

    struct Key: Encodable {
        var algorithm: String
        var bits: Int?
        var format: String
        var matchesLeaf: Bool
    }

    var file: String
    var certificates: [CertificateInfo] = []
    var privateKey: Key?
    var problems: [Problem] = []

    var refused: Bool { self.problems.contains(where: \.refuses) }

    init(file: String, policy: KeyPolicy, now: Date) {
        self.file = file
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            self.problems = [Problem(code: "unreadable", message: "\(error.localizedDescription)", refuses: true)]
            return
        }
        do {
            let bundle = try CertificateBundle.read(mixed: text)
            let report = CertificateValidator().check(bundle, policy: policy, now: now)
            self.certificates = bundle.chain.map(\.info)
            self.privateKey = bundle.privateKey.map {
                Key(algorithm: $0.kind.algorithm, bits: $0.kind.bits, format: $0.format.rawValue,
                    matchesLeaf: !report.problems.contains(.keyDoesNotMatchLeaf))
            }
            self.problems = report.problems.map { Problem(code: $0.code, message: $0.description, refuses: !$0.isValidityNotice) }
        } catch {
            self.problems = [Problem(code: error.code, message: error.description, refuses: true)]
        }
    }

    func table(policy: String) -> String {
        var lines = ["\(self.file)"]
        let dates = ISO8601DateFormatter()
        for (index, info) in self.certificates.enumerated() {
            let role = index == 0 ? "leaf" : (info.isSelfIssued ? "root" : "intermediate")
            lines.append("  Certificate \(index + 1) (\(role))")
            let rows: [(String, String)] = [
                ("Subject", info.subject),
                ("Common name", info.commonName ?? "-"),
                ("DNS names", info.dnsNames.isEmpty ? "-" : info.dnsNames.joined(separator: ", ")),
                ("IP addresses", info.ipAddresses.isEmpty ? "-" : info.ipAddresses.joined(separator: ", ")),
                ("Issuer", info.issuer),
                ("Serial", info.serialNumber),
                ("Valid", "\(dates.string(from: info.notBefore)) to \(dates.string(from: info.notAfter))"),
                ("Key", "\(info.key)"),
                ("Signature", info.signatureAlgorithm),
                ("Key usage", info.keyUsage.isEmpty ? "-" : info.keyUsage.joined(separator: ", ")),
                ("Extended usage", info.extendedKeyUsage.isEmpty ? "-" : info.extendedKeyUsage.joined(separator: ", ")),
                ("CA", info.isCA ? "yes" : "no"),
                ("SHA-1", info.sha1Fingerprint),
                ("SHA-256", info.sha256Fingerprint),
            ]
            lines += rows.map { "    \($0.0.padding(toLength: 15, withPad: " ", startingAt: 0)) \($0.1)" }
        }
        if let key = self.privateKey {
            lines.append("  Private key      \(key.algorithm) \(key.bits.map(String.init) ?? "?") (\(key.format)), "
                + (key.matchesLeaf ? "matches the leaf" : "does NOT match the leaf"))
        }
        if self.problems.isEmpty {
            lines.append("  No problems under policy \(policy).")
        } else {
            lines.append("  Problems under policy \(policy):")
            lines += self.problems.map { "    - [\($0.code)] \($0.message)\($0.refuses ? "" : " (reported, not refused)")" }
        }
        return lines.joined(separator: "\n")
    }
}
