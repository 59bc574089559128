import Certificates
import Foundation
import GatehouseTestSupport
import Testing

/// Feeds mutated PEM and DER to the whole reading and checking path and requires that every input ends in a
/// bundle or a typed ``CertificateError``: no trap, no hang. A crash fails the test run.
@Suite("Randomized certificate input")
struct RandomizedInputTests {
    static let iterations = 12_000

    @Test("Mutated PEM and DER never crash the certificate engine")
    func mutatedInputs() throws {
        let pki = TestPKI.shared
        let seeds = ["a.chain.pem", "b.chain.pem", "rsa1024.crt", "rsa4096.crt", "p521.crt", "sm2.crt", "sm-enc.crt"]
            .map { pki.pem($0) }
        let keys = ["a.key", "b.key", "rsa1024.key", "p256.sec1.key", "rsa2048.pkcs1.key", "sm2.key", "p384.key"]
            .map { pki.pem($0) }
        let ders = seeds.flatMap { pem in Self.blocks(of: pem).map(\.der) }
        let keyDERs = keys.flatMap { pem in Self.blocks(of: pem) }
        var random = SplitMix64(seed: UInt64(ProcessInfo.processInfo.environment["GATEHOUSE_FUZZ_SEED"] ?? "") ?? 0x6A7E_4005E)
        var outcomes = (bundles: 0, errors: 0)
        let validator = CertificateValidator()

        for iteration in 0..<Self.iterations {
            let certificateText: String
            var keyText: String? = nil
            switch iteration % 6 {
            case 0:  // bit flips in a certificate's DER, re-wrapped as PEM
                certificateText = PEMBlock(label: "CERTIFICATE", der: Self.flip(ders.randomElement(using: &random)!, &random)).pem
            case 1:  // truncated DER
                let der = ders.randomElement(using: &random)!
                certificateText = PEMBlock(label: "CERTIFICATE", der: Array(der.prefix(Int.random(in: 1..<der.count, using: &random)))).pem
            case 2:  // splice of two certificates' DER
                let a = ders.randomElement(using: &random)!, b = ders.randomElement(using: &random)!
                let cut = Int.random(in: 0..<a.count, using: &random), from = Int.random(in: 0..<b.count, using: &random)
                certificateText = PEMBlock(label: "CERTIFICATE", der: Array(a.prefix(cut) + b.dropFirst(from))).pem
            case 3:  // text mutations of the PEM itself: truncation, byte changes, inserted lines
                certificateText = Self.mutateText(seeds.randomElement(using: &random)!, &random)
            case 4:  // a valid chain with a mutated key
                certificateText = seeds.randomElement(using: &random)!
                let block = keyDERs.randomElement(using: &random)!
                keyText = PEMBlock(label: block.label, der: Self.flip(block.der, &random)).pem
            default:  // random bytes, sometimes inside a PEM frame
                let bytes = (0..<Int.random(in: 0..<600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                certificateText = Bool.random(using: &random)
                    ? PEMBlock(label: "CERTIFICATE", der: bytes).pem
                    : String(decoding: bytes, as: UTF8.self)
                keyText = Bool.random(using: &random) ? Self.mutateText(keys.randomElement(using: &random)!, &random) : nil
            }
            do {
                let bundle = try CertificateBundle.read(certificates: certificateText, privateKey: keyText)
                _ = validator.check(bundle, policy: .any, now: Date())
                _ = bundle.chain.map(\.pem)
                outcomes.bundles += 1
            } catch {
                // Typed throws: `error` is a CertificateError by construction; its message must render.
                #expect(!error.description.isEmpty)
                outcomes.errors += 1
            }
        }
        #expect(outcomes.bundles + outcomes.errors == Self.iterations)
        // Both outcomes must occur, or the mutations are not reaching the parsers.
        #expect(outcomes.bundles > 100)
        #expect(outcomes.errors > 100)
    }

    private static func blocks(of pem: String) -> [PEMBlock] {
        (try? PEMReader().blocks(in: pem)) ?? []
    }

    private static func flip(_ der: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        var der = der
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let index = Int.random(in: 0..<der.count, using: &random)
            der[index] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
        }
        return der
    }

    private static func mutateText(_ text: String, _ random: inout SplitMix64) -> String {
        var bytes = Array(text.utf8)
        switch Int.random(in: 0..<4, using: &random) {
        case 0:
            bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
        case 1:
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
        case 2:
            let position = Int.random(in: 0..<bytes.count, using: &random)
            bytes.insert(contentsOf: Array(["\n", "\n\n", "-----BEGIN CERTIFICATE-----\n", "-----END CERTIFICATE-----\n", "Proc-Type: 4,ENCRYPTED\n", "====", " "]
                .randomElement(using: &random)!.utf8), at: position)
        default:
            let position = Int.random(in: 0..<bytes.count, using: &random)
            bytes.remove(at: position)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A small, seedable generator, so a failing input can be replayed with `GATEHOUSE_FUZZ_SEED`.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { self.state = seed }
    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
