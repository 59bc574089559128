import ControlPlane
import DataPlane
import GatehouseTestSupport
import NIOCore
import NIOPosix
import NIOSSL
import Testing

/// Real handshakes against a listener whose SNI list has an ECDSA (P-256) and an RSA certificate for
/// `dual.sni.test` (test PKI: `dual-ecc`, `dual-rsa`), plus wildcards at two depths for `longest_suffix`.
@Suite("ECDSA over RSA for one domain, and longest_suffix, over real handshakes")
struct ECDSAPreferenceTests {
    private static func tls(matching: SNIMatchAlgorithm = .longestSuffix) -> TLSSnapshot {
        TLSSnapshot(
            defaultCertificate: Fixtures.material("a"),
            sniCertificates: [
                // RSA listed first, so ECDSA wins by key type, not by order.
                SNICertificate(domain: "dual.sni.test", certificate: Fixtures.material("dual-rsa")),
                SNICertificate(domain: "DUAL.sni.test", certificate: Fixtures.material("dual-ecc")),
                SNICertificate(domain: "*.sni.test", certificate: Fixtures.material("sni-wild")),
                SNICertificate(domain: "*.deep.sni.test", certificate: Fixtures.material("sni-deep")),
            ],
            policy: Fixtures.modernPolicy,
            sniMatch: matching
        )
    }

    private static func leaf(_ name: String) throws -> NIOSSLCertificate {
        try NIOSSLCertificate.fromPEMBytes(Array(Fixtures.pki.pem("\(name).crt").utf8))[0]
    }

    @Test("A client that verifies ECDSA gets the ECDSA leaf; a client limited to RSA gets the RSA leaf")
    func nioSSLClients() async throws {
        try await Fixtures.serving(.https, tls: Self.tls()) {
            (served: Fixtures.Served) async throws in
            let port = served.port
            let ecc = try Self.leaf("dual-ecc")
            let rsa = try Self.leaf("dual-rsa")

            // Defaults: TLS 1.3 with every signature scheme.
            #expect(try await TLSProbe.leaf(port: port, serverName: "dual.sni.test") == ecc)
            #expect(try await TLSProbe.leaf(port: port, serverName: "Dual.SNI.test.") == ecc)
            // TLS 1.2 with an ECDHE-ECDSA suite.
            #expect(
                try await TLSProbe.leaf(port: port, serverName: "dual.sni.test") {
                    $0.maximumTLSVersion = .tlsv12
                    $0.cipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
                } == ecc
            )
            // TLS 1.2 with ECDHE-RSA suites only.
            #expect(
                try await TLSProbe.leaf(port: port, serverName: "dual.sni.test") {
                    $0.maximumTLSVersion = .tlsv12
                    $0.cipherSuites = "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384"
                } == rsa
            )
            // TLS 1.3 that verifies RSA signatures only.
            #expect(
                try await TLSProbe.leaf(port: port, serverName: "dual.sni.test") {
                    $0.minimumTLSVersion = .tlsv13
                    $0.verifySignatureAlgorithms = [.rsaPssRsaeSha256, .rsaPssRsaeSha384, .rsaPkcs1Sha256]
                } == rsa
            )
            // Other names are unaffected by the preference: wildcards (several labels deep, which no client would
            // accept as a match, hence no verification) and the default.
            #expect(try await TLSProbe.leaf(port: port, serverName: "x.deep.sni.test") == Self.leaf("sni-deep"))
            #expect(
                try await TLSProbe.leaf(port: port, serverName: "a.b.deep.sni.test", verify: false) == Self.leaf("sni-deep")
            )
            #expect(try await TLSProbe.leaf(port: port, serverName: "x.y.sni.test", verify: false) == Self.leaf("sni-wild"))
            #expect(try await TLSProbe.leaf(port: port, serverName: nil, verify: false) == Self.leaf("a"))
        }
    }

    @Test("openssl s_client: ECDSA by default, RSA when it offers only RSA; wildcard mode reaches one label")
    func opensslClients() async throws {
        try await Fixtures.serving(.https, tls: Self.tls()) {
            (served: Fixtures.Served) async throws in
            let port = served.port
            var listener = served.listener

            #expect(try TLSProbe.opensslSubject(port: port, "-servername dual.sni.test").contains("O = Gatehouse Dual ECC"))
            #expect(try TLSProbe.opensslSubject(port: port, "-servername dual.sni.test -tls1_2").contains("O = Gatehouse Dual ECC"))
            #expect(
                try TLSProbe.opensslSubject(port: port, "-servername dual.sni.test -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256")
                    .contains("O = Gatehouse Dual RSA")
            )
            #expect(
                try TLSProbe.opensslSubject(port: port, "-servername dual.sni.test -sigalgs RSA-PSS+SHA256:RSA+SHA256").contains(
                    "O = Gatehouse Dual RSA"
                )
            )
            #expect(try TLSProbe.opensslSubject(port: port, "-servername a.b.deep.sni.test").contains("O = Gatehouse SNI Deep"))
            #expect(try TLSProbe.opensslSubject(port: port, "-servername q.a.b.sni.test").contains("O = Gatehouse SNI Wild"))
            #expect(Fixtures.curlTLS(host: "dual.sni.test", port: port).body == "alpha")

            listener.tls = Self.tls(matching: .wildcard)
            await served.dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: [listener]))
            #expect(try TLSProbe.opensslSubject(port: port, "-servername a.b.deep.sni.test").contains("CN = a.test"))
            #expect(try TLSProbe.opensslSubject(port: port, "-servername a.deep.sni.test").contains("O = Gatehouse SNI Deep"))
            #expect(try TLSProbe.opensslSubject(port: port, "-servername dual.sni.test").contains("O = Gatehouse Dual ECC"))
        }
    }

    @Test("The peek forwards a ClientHello split over records and reads intact, and survives garbage")
    func peekForwarding() async throws {
        try await Fixtures.serving(.https, tls: Self.tls()) {
            (served: Fixtures.Served) async throws in
            let port = served.port

            // openssl's TLS 1.3 ClientHello in 64-byte records, sent in two writes: the answer is a handshake record.
            let fragmented = CapturedClientHello.fragmented(CapturedClientHello.tls13, recordSize: 64)
            let answer = try await TLSProbe.rawExchange(port: port, [Array(fragmented[..<100]), Array(fragmented[100...])])
            #expect(answer.prefix(3) == [0x16, 0x03, 0x03], "ServerHello expected, got \(answer.prefix(8))")

            // Plain HTTP, an oversized ClientHello and a cut-off one: closed (or an alert), and the listener still serves.
            for input in [
                Array("GET / HTTP/1.1\r\nHost: dual.sni.test\r\n\r\n".utf8),
                [0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0x01, 0x00, 0x00],
                Array(CapturedClientHello.bytes(CapturedClientHello.tls13).prefix(60)),
            ] {
                let reply = try await TLSProbe.rawExchange(port: port, [input], closeAfterWrite: input.count == 60)
                #expect(reply.isEmpty || reply.first == 0x15, "alert or close expected, got \(reply.prefix(8))")
        }
        #expect(try await TLSProbe.leaf(port: port, serverName: "dual.sni.test") == Self.leaf("dual-ecc"))
        }
    }
}
