import Certificates
import ControlPlane
import DataPlane
import NIOCore
import Testing

/// ClientHellos from `openssl s_client` 3.0.19, as a plain socket server read them (record headers included), in hex.
enum CapturedClientHello {
    /// Default `s_client -servername dual.test`: TLS 1.3 and 1.2, every ECDSA scheme, X25519 key share.
    static let tls13 = """
        1603010136010001320303ff26c8fc2163ea62bc386c7b6efe645929ebd32a60a7593276028e9e6155aac0204da6d99405358a082d20\
        198976f5496c3f69227fa219aec2c2c4db576fb11304003e130213031301c02cc030009fcca9cca8ccaac02bc02f009ec024c028006b\
        c023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff010000ab0000000e000c0000096475616c2e74657374\
        000b000403000102000a00160014001d0017001e0019001801000101010201030104002300000016000000170000000d002a00280403\
        05030603080708080809080a080b080408050806040105010601030303010302040205020602002b0009080304030303020301002d00\
        020101003300260024001d0020b43648682cb90b6eb66806f6cfa59e47437ed3fce354513175019fd69fa6d940
        """
    /// `-tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256`: ECDSA schemes offered, but no ECDSA suite.
    static let tls12RSASuite = """
        1603010095010000910303dd71e6a7ea70d5cb5f899ebf034ddc93385bda53c5aa471adae1cefcd8944e36000004c02f00ff01000064\
        0000000e000c0000096475616c2e74657374000b000403000102000a000c000a001d0017001e00190018002300000016000000170000\
        000d002a0028040305030603080708080809080a080b080408050806040105010601030303010302040205020602
        """
    /// `-tls1_3 -sigalgs rsa_pss_rsae_sha256:rsa_pkcs1_sha256`: TLS 1.3 with RSA schemes only.
    static let tls13RSASchemes = """
        16030100d6010000d203033c3efc4167f3055bf513bcc2bb8e596920cf9c639d29648e02aeb6ae98c67dd62042cae175c4a897930ad2\
        2154f48a310dc89f09a13654dd71db1b6ea7a9024dc1000813021303130100ff010000810000000e000c0000096475616c2e74657374\
        000b000403000102000a00160014001d0017001e0019001801000101010201030104002300000016000000170000000d000600040804\
        0401002b0003020304002d00020101003300260024001d0020d6685a7ab2e888994eeca786dbbd97930f989cdad5ed447e68e4a964ed\
        606e57
        """
    /// `-noservername -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -sigalgs ECDSA+SHA256 -groups P-256`.
    static let tls12ECDSANoSNI = """
        16030100550100005103035e04741aa3714a01a9b5dd392b2dacdd997c74debca85839131bd715a8f0f403000004c02b00ff01000024\
        000b000403000102000a000400020017002300000016000000170000000d000400020403
        """

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8).map { $0 <= 0x39 ? $0 - 0x30 : ($0 | 0x20) - 0x61 + 10 }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// The same handshake message as `hex`, cut into records of at most `size` bytes of payload.
    static func fragmented(_ hex: String, recordSize size: Int) -> [UInt8] {
        let message = Self.bytes(hex).dropFirst(5)
        return stride(from: message.startIndex, to: message.endIndex, by: size).flatMap { start in
            let fragment = message[start..<min(start + size, message.endIndex)]
            return [0x16, 0x03, 0x01, UInt8(fragment.count >> 8), UInt8(fragment.count & 0xFF)] + fragment
        }
    }
}

@Suite("ClientHello reading")
struct ClientHelloTests {
    private func readWhole(_ bytes: [UInt8]) -> ClientHelloReader.Outcome {
        var reader = ClientHelloReader()
        return reader.read(ByteBuffer(bytes: bytes))
    }

    private func hello(_ hex: String) throws -> ClientHello {
        guard case .complete(let hello) = self.readWhole(CapturedClientHello.bytes(hex)) else {
            throw Failure(description: "not read: \(self.readWhole(CapturedClientHello.bytes(hex)))")
        }
        return hello
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    @Test("openssl's TLS 1.3 ClientHello: name, versions, groups, schemes, suites")
    func tls13Fields() throws {
        let hello = try self.hello(CapturedClientHello.tls13)
        #expect(hello.legacyVersion == 0x0303)
        #expect(hello.serverName == "dual.test")
        #expect(hello.supportedVersions == [0x0304, 0x0303, 0x0302, 0x0301])
        #expect(
            hello.supportedGroups == [0x001D, 0x0017, 0x001E, 0x0019, 0x0018, 0x0100, 0x0101, 0x0102, 0x0103, 0x0104]
        )
        #expect(hello.signatureAlgorithms?.prefix(3) == [0x0403, 0x0503, 0x0603])
        #expect(hello.cipherSuites.count == 31)
        #expect(hello.cipherSuites.prefix(3) == [0x1302, 0x1303, 0x1301])
        #expect(hello.cipherSuites.contains(0xC02B))
    }

    @Test("openssl's TLS 1.2 ClientHellos, with and without SNI")
    func tls12Fields() throws {
        let rsa = try self.hello(CapturedClientHello.tls12RSASuite)
        #expect(rsa.cipherSuites == [0xC02F, 0x00FF])
        #expect(rsa.supportedVersions == nil)
        #expect(rsa.serverName == "dual.test")
        let ecdsa = try self.hello(CapturedClientHello.tls12ECDSANoSNI)
        #expect(ecdsa.serverName == nil)
        #expect(ecdsa.cipherSuites == [0xC02B, 0x00FF])
        #expect(ecdsa.supportedGroups == [0x0017])
        #expect(ecdsa.signatureAlgorithms == [0x0403])
    }

    @Test("Any split into TCP reads or TLS records gives the same ClientHello", arguments: [1, 7, 100, 310])
    func fragmentation(size: Int) throws {
        let whole = try self.hello(CapturedClientHello.tls13)
        // The same bytes, a few at a time.
        var reader = ClientHelloReader()
        let bytes = CapturedClientHello.bytes(CapturedClientHello.tls13)
        var outcomes: [ClientHelloReader.Outcome] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            outcomes.append(reader.read(ByteBuffer(bytes: bytes[start..<min(start + size, bytes.count)])))
        }
        #expect(outcomes.last == .complete(whole))
        #expect(outcomes.dropLast().allSatisfy { $0 == .needMoreData })
        // The handshake message cut into several records.
        #expect(
            self.readWhole(CapturedClientHello.fragmented(CapturedClientHello.tls13, recordSize: size))
                == .complete(whole)
        )
    }

    @Test("Every truncation waits for more; nothing after a complete ClientHello changes it")
    func truncation() throws {
        let bytes = CapturedClientHello.bytes(CapturedClientHello.tls12ECDSANoSNI)
        for length in 0..<bytes.count {
            #expect(self.readWhole(Array(bytes.prefix(length))) == .needMoreData, "prefix \(length)")
        }
        var reader = ClientHelloReader()
        let complete = reader.read(ByteBuffer(bytes: bytes))
        #expect(complete == .complete(try self.hello(CapturedClientHello.tls12ECDSANoSNI)))
        #expect(reader.read(ByteBuffer(string: "garbage")) == complete)
    }

    @Test(
        "Input that is not a ClientHello is refused at once",
        arguments: [
            ("plain HTTP", Array("GET / HTTP/1.1\r\nHost: a.test\r\n\r\n".utf8), ClientHelloError.notHandshakeRecord),
            ("an alert record", [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], .notHandshakeRecord),
            ("SSL 2 framing", [0x80, 0x2E, 0x01, 0x03, 0x01], .notHandshakeRecord),
            ("major version 2", [0x16, 0x02], .notHandshakeRecord),
            ("an empty record", [0x16, 0x03, 0x01, 0x00, 0x00], .badRecordLength(0)),
            ("an oversized record", [0x16, 0x03, 0x01, 0x40, 0x01], .badRecordLength(16_385)),
            ("a ServerHello", [0x16, 0x03, 0x03, 0x00, 0x01, 0x02], .notClientHello(type: 2)),
            ("a 64 KiB ClientHello", [0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x01, 0x00, 0x00], .tooLarge(bytes: 65_536)),
        ] as [(String, [UInt8], ClientHelloError)]
    )
    func refused(_ name: String, bytes: [UInt8], error: ClientHelloError) {
        #expect(self.readWhole(bytes) == .unreadable(error), "\(name)")
    }

    @Test("Inner lengths that do not add up are refused, not trusted")
    func badInnerLengths() {
        // A ClientHello body that ends one byte into its 32-byte session id.
        let body: [UInt8] = [0x03, 0x03] + Array(repeating: 0, count: 32) + [0x20, 0x00]
        let message: [UInt8] = [0x01, 0x00, 0x00, UInt8(body.count)] + body
        #expect(self.readWhole([0x16, 0x03, 0x01, 0x00, UInt8(message.count)] + message) == .unreadable(.truncated))

        // The real ClientHello with its extensions block one byte too short, and with a byte left over.
        var bytes = CapturedClientHello.bytes(CapturedClientHello.tls12ECDSANoSNI)
        let extensionsLength = bytes.count - 2 - 0x24
        #expect(bytes[extensionsLength] == 0x00 && bytes[extensionsLength + 1] == 0x24)
        bytes[extensionsLength + 1] = 0x23
        #expect(self.readWhole(bytes) == .unreadable(.malformed("trailing bytes")))
        bytes[extensionsLength + 1] = 0x25
        #expect(self.readWhole(bytes) == .unreadable(.truncated))

        // A repeated extension.
        let hello = CapturedClientHello.bytes(CapturedClientHello.tls12ECDSANoSNI)
        let sigalgs: [UInt8] = [0x00, 0x0D, 0x00, 0x04, 0x00, 0x02, 0x04, 0x03]
        #expect(
            self.readWhole(Self.appendingExtension(sigalgs, to: hello))
                == .unreadable(.malformed("repeated extension 13"))
        )
        // An odd-length list of code points.
        let versions: [UInt8] = [0x00, 0x2B, 0x00, 0x02, 0x01, 0x03]
        #expect(
            self.readWhole(Self.appendingExtension(versions, to: hello))
                == .unreadable(.malformed("supported_versions"))
        )
    }

    @Test("Random bytes and mutated ClientHellos never crash the reader")
    func garbage() {
        var generator = SystemRandomNumberGenerator()
        let valid = CapturedClientHello.bytes(CapturedClientHello.tls13)
        for round in 0..<2_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<600, using: &generator)).map { _ in
                    UInt8.random(in: 0...255, using: &generator)
                }
                if round % 4 == 0, bytes.count > 3 { bytes[0...2] = [0x16, 0x03, 0x01] }
            } else {
                bytes = valid
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] = .random(in: 0...255, using: &generator)
                }
            }
            var reader = ClientHelloReader()
            var outcome = ClientHelloReader.Outcome.needMoreData
            for start in stride(from: 0, to: bytes.count, by: 50) {
                outcome = reader.read(ByteBuffer(bytes: bytes[start..<min(start + 50, bytes.count)]))
            }
            if outcome != .needMoreData {
                #expect(reader.read(ByteBuffer(bytes: [0x16])) == outcome, "a decided reader stays decided")
            }
        }
    }

    @Test("The reader stops buffering at its limit")
    func bufferLimit() {
        var reader = ClientHelloReader()
        // A 16 KiB ClientHello in records of one byte each (6 bytes on the wire per byte) outgrows the limit.
        var outcome = ClientHelloReader.Outcome.needMoreData
        var sent = 0
        for byte: UInt8 in [0x01, 0x00, 0x40, 0x00] {
            outcome = reader.read(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x00, 0x01, byte]))
            sent += 6
        }
        #expect(outcome == .needMoreData)
        while outcome == .needMoreData && sent < 100_000 {
            outcome = reader.read(ByteBuffer(bytes: [0x16, 0x03, 0x01, 0x00, 0x01, 0x00]))
            sent += 6
        }
        #expect(outcome == .unreadable(.tooLarge(bytes: sent)))
        #expect(sent > ClientHelloReader.maximumBufferedBytes && sent <= ClientHelloReader.maximumBufferedBytes + 6)
    }

    /// `hello` (one record) with `extensionBytes` appended to its extensions, every length adjusted.
    private static func appendingExtension(_ extensionBytes: [UInt8], to hello: [UInt8]) -> [UInt8] {
        var bytes = hello + extensionBytes
        func add(_ count: Int, at offset: Int, width: Int) {
            var value = 0
            for index in 0..<width { value = value << 8 | Int(bytes[offset + index]) }
            value += count
            for index in 0..<width { bytes[offset + index] = UInt8((value >> (8 * (width - 1 - index))) & 0xFF) }
        }
        add(extensionBytes.count, at: 3, width: 2)  // record length
        add(extensionBytes.count, at: 6, width: 3)  // handshake length
        add(extensionBytes.count, at: hello.count - 2 - Self.extensionsLength(hello), width: 2)
        return bytes
    }

    private static func extensionsLength(_ hello: [UInt8]) -> Int {
        // record 5 + handshake 4 + version 2 + random 32, then session id, suites, compression.
        var offset = 5 + 4 + 2 + 32
        offset += 1 + Int(hello[offset])
        offset += 2 + (Int(hello[offset]) << 8 | Int(hello[offset + 1]))
        offset += 1 + Int(hello[offset])
        return Int(hello[offset]) << 8 | Int(hello[offset + 1])
    }
}

@Suite("ECDSA eligibility")
struct ECDSAEligibilityTests {
    private static let policy = TLSPolicy(
        name: "tls-1-2",
        minimumVersion: .tls12,
        maximumVersion: .tls13,
        ciphers: ["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"]
    )

    private func hello(_ hex: String) -> ClientHello {
        var reader = ClientHelloReader()
        guard case .complete(let hello) = reader.read(ByteBuffer(bytes: CapturedClientHello.bytes(hex))) else {
            Issue.record("fixture does not parse")
            return ClientHello(legacyVersion: 0, cipherSuites: [])
        }
        return hello
    }

    @Test("openssl's ClientHellos: ECDSA offered or not, per negotiated version")
    func capturedHellos() {
        let p256 = ECDSAEligibility(policy: Self.policy, curves: [.p256])
        #expect(p256.cipherSuites == [0xC02B])
        #expect(p256.versions == 0x0303...0x0304)
        #expect(p256.admits(self.hello(CapturedClientHello.tls13)))
        #expect(!p256.admits(self.hello(CapturedClientHello.tls13RSASchemes)))
        #expect(!p256.admits(self.hello(CapturedClientHello.tls12RSASuite)))
        #expect(p256.admits(self.hello(CapturedClientHello.tls12ECDSANoSNI)))

        // The TLS 1.3 hello negotiates 1.2 on a 1.2-only listener, and offers the ECDSA suite there too.
        let tls12Only = TLSPolicy(
            name: "1.2",
            minimumVersion: .tls12,
            maximumVersion: .tls12,
            ciphers: Self.policy.ciphers
        )
        let capped = ECDSAEligibility(policy: tls12Only, curves: [.p256])
        #expect(capped.negotiatedVersion(self.hello(CapturedClientHello.tls13)) == 0x0303)
        #expect(capped.admits(self.hello(CapturedClientHello.tls13)))
        // A listener whose 1.2 suites are all RSA can serve ECDSA only over TLS 1.3.
        let rsaSuites = TLSPolicy(
            name: "rsa",
            minimumVersion: .tls12,
            maximumVersion: .tls12,
            ciphers: ["ECDHE-RSA-AES128-GCM-SHA256"]
        )
        #expect(!ECDSAEligibility(policy: rsaSuites, curves: [.p256]).admits(self.hello(CapturedClientHello.tls13)))
        // A P-384 certificate needs ecdsa_secp384r1_sha384 in TLS 1.3 and the P-384 group in TLS 1.2.
        let p384 = ECDSAEligibility(policy: Self.policy, curves: [.p256, .p384])
        #expect(p384.admits(self.hello(CapturedClientHello.tls13)))
        #expect(!p384.admits(self.hello(CapturedClientHello.tls12ECDSANoSNI)))
    }

    /// A TLS 1.3 ClientHello with these `signature_algorithms`.
    private static func tls13(_ schemes: [UInt16]?, versions: [UInt16] = [0x0304]) -> ClientHello {
        ClientHello(
            legacyVersion: 0x0303,
            cipherSuites: [0x1301],
            supportedVersions: versions,
            supportedGroups: [29, 23],
            signatureAlgorithms: schemes
        )
    }

    /// A TLS 1.2 (or `version`) ClientHello without `supported_versions`.
    private static func tls12(
        _ suites: [UInt16],
        groups: [UInt16]? = [23],
        schemes: [UInt16]? = nil,
        version: UInt16 = 0x0303
    ) -> ClientHello {
        ClientHello(legacyVersion: version, cipherSuites: suites, supportedGroups: groups, signatureAlgorithms: schemes)
    }

    @Test(
        "TLS 1.3 needs the curve's scheme; TLS 1.2 needs a suite, the group and any ECDSA scheme",
        arguments: [
            // TLS 1.3 ties the scheme to the curve; GREASE versions are skipped.
            (Self.tls13([0x0403]), true),
            (Self.tls13([0x0503, 0x0804]), false),
            (Self.tls13(nil), false),
            (Self.tls13([0x0403], versions: [0x7A7A, 0x0304]), true),
            // TLS 1.2: an ECDHE-ECDSA suite the listener has, the group, and (if sent) some ECDSA scheme.
            (Self.tls12([0xC02B]), true),
            (Self.tls12([0xC02B], schemes: [0x0203]), true),
            (Self.tls12([0xC02B], schemes: [0x0401]), false),
            (Self.tls12([0xC02B], groups: [29]), false),
            (Self.tls12([0xC02B], groups: nil), false),
            (Self.tls12([0xC02F, 0xC02C]), false),
            // supported_versions without 1.3 negotiates 1.2.
            (Self.tls13([0x0403], versions: [0x0303]).with(suites: [0xC02B]), true),
            // Below the listener's minimum there is no handshake at all.
            (Self.tls12([0xC02B], version: 0x0302), false),
        ]
    )
    func rules(hello: ClientHello, admitted: Bool) {
        #expect(ECDSAEligibility(policy: Self.policy, curves: [.p256]).admits(hello) == admitted)
    }
}

extension ClientHello {
    fileprivate func with(suites: [UInt16]) -> ClientHello {
        var hello = self
        hello.cipherSuites = suites
        return hello
    }
}
