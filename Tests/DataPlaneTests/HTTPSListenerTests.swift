import ControlPlane
import DataPlane
import GatehouseTestSupport
import Testing

@Suite("HTTPS listeners")
struct HTTPSListenerTests {
    @Test("Verified chain, round robin over both backends, SNI picks the certificate")
    func httpsRoundRobinAndSNI() async throws {
        try await Fixtures.serving(.https, backends: ["alpha", "beta"], tls: Fixtures.tls()) {
            (served: Fixtures.Served) async throws in
            let port = served.port
            let answers = (0..<4).map { _ in Fixtures.curlTLS(host: "a.test", port: port) }
            #expect(answers.map(\.status) == [200, 200, 200, 200])
            #expect(answers.map(\.body) == ["alpha", "beta", "alpha", "beta"])
            #expect(Fixtures.curlTLS(host: "b.test", port: port).status == 200)
            #expect(Fixtures.curlTLS(host: "x.b.test", port: port).status == 200)

            #expect(try Fixtures.servedSubject(port: port, serverName: "a.test").contains("CN = a.test"))
            #expect(try Fixtures.servedSubject(port: port, serverName: "b.test").contains("CN = b.test"))
            #expect(try Fixtures.servedSubject(port: port, serverName: "www.b.test").contains("CN = b.test"))
            #expect(try Fixtures.servedSubject(port: port, serverName: "unknown.test").contains("CN = a.test"))
            #expect(try Fixtures.servedSubject(port: port, serverName: nil).contains("CN = a.test"))
        }
    }

    @Test("TLS listeners terminate TLS with SNI and relay the decrypted bytes; the backend sees the client's request")
    func tlsRelay() async throws {
        try await Fixtures.serving(.tls, tls: Fixtures.tls()) {
            (served: Fixtures.Served) async throws in
            let port = served.port
            // The HTTP request crosses the relay untouched, so it keeps the client's Host and the proxy adds nothing.
            let answer = Fixtures.curlTLS(host: "a.test", port: port)
            #expect(answer.status == 200 && answer.body == "alpha")
            #expect(try Fixtures.servedSubject(port: port, serverName: "x.b.test").contains("CN = b.test"))
            #expect(try Fixtures.servedSubject(port: port, serverName: nil).contains("CN = a.test"))
        }
    }

    @Test("mTLS: a client certificate from the CA is required, and described to the backend")
    func mutualTLS() async throws {
        var headers = ForwardedHeaders()
        headers.clientCertificateSubject = true
        headers.clientCertificateIssuer = true
        headers.clientCertificateFingerprint = true
        headers.clientCertificateVerify = true
        let tls = Fixtures.tls(clientCA: Fixtures.pki.pem("root.crt"))
        try await Fixtures.serving(.https, tls: tls, headers: headers) {
            (served: Fixtures.Served) async throws in
            let port = served.port
            let pki = Fixtures.pki
            let accepted = Fixtures.curlTLS(
                host: "a.test",
                port: port,
                path: "/headers",
                ["--cert", pki.path("client.crt"), "--key", pki.path("client.key")]
            )
            #expect(accepted.status == 200)
            #expect(accepted.body.contains("x-forwarded-clientcert-subjectdn: O=Gatehouse Clients,CN=client-1"))
            #expect(accepted.body.contains("x-forwarded-clientcert-issuerdn: O=Gatehouse Tests,CN=Gatehouse Test Root CA"))
            #expect(accepted.body.contains("x-forwarded-clientcert-clientverify: SUCCESS"))
            let fingerprint =
                try pki.openssl(["x509", "-in", "client.crt", "-noout", "-fingerprint", "-sha256"])
                .split(separator: "=").last.map { $0.filter { $0 != ":" && !$0.isNewline }.lowercased() } ?? "?"
            #expect(accepted.body.contains("x-forwarded-clientcert-fingerprint: \(fingerprint)"))

            #expect(Fixtures.curlTLS(host: "a.test", port: port).status == 0)
            let rogue = Fixtures.curlTLS(
                host: "a.test",
                port: port,
                ["--cert", pki.path("rogue.crt"), "--key", pki.path("rogue.key")]
            )
            #expect(rogue.status == 0)
        }
    }

    @Test("A certificate swap takes effect for new handshakes with no failed request")
    func certificateSwap() async throws {
        let backends = try await TestBackend.start(["alpha", "beta"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        let before = Fixtures.listener(.https, port: port, backends: backends, tls: Fixtures.tls(default: "a", sni: []))
        var after = before
        after.tls = Fixtures.tls(default: "b", sni: [])
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [before]))
        #expect(try Fixtures.servedSubject(port: port, serverName: nil).contains("CN = a.test"))

        async let statuses = Fixtures.onThread {
            (0..<30).map { _ in Fixtures.curl("https://127.0.0.1:\(port)/", ["-k"]).status }
        }
        let served = { backends.reduce(0) { $0 + $1.requests.count } }
        let started = await Fixtures.eventually { served() >= 5 }
        #expect(started)
        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: [after]))
        #expect(served() < 30, "the swap must happen while the client loop runs")
        let results = await statuses
        #expect(results.count == 30)
        #expect(results.allSatisfy { $0 == 200 }, "statuses: \(results)")
        #expect(try Fixtures.servedSubject(port: port, serverName: nil).contains("CN = b.test"))

        await dataPlane.apply(ConfigurationSnapshot(revision: 3, listeners: []))
        for backend in backends { await backend.stop() }
    }

    @Test("A policy with no usable cipher or a broken key is refused; the previous configuration stays")
    func refusedTLSConfiguration() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        let unusable = TLSPolicy(
            name: "legacy",
            minimumVersion: .tls10,
            maximumVersion: .tls12,
            ciphers: ["RC4-SHA", "DHE-RSA-AES128-SHA"]
        )
        var listener = Fixtures.listener(.https, port: port, backends: backends, tls: Fixtures.tls(policy: unusable))

        // Never configured: the listener is bound but closes connections; the process did not trap.
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        #expect(Fixtures.curlTLS(host: "a.test", port: port).status == 0)

        listener.tls = Fixtures.tls()
        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: [listener]))
        #expect(Fixtures.curlTLS(host: "a.test", port: port).body == "alpha")

        var broken = listener
        broken.tls?.defaultCertificate.privateKeyPEM = Fixtures.pki.pem("b.key")
        await dataPlane.apply(ConfigurationSnapshot(revision: 3, listeners: [broken]))
        var brokenCipher = listener
        brokenCipher.tls?.policy = unusable
        await dataPlane.apply(ConfigurationSnapshot(revision: 4, listeners: [brokenCipher]))
        #expect(Fixtures.curlTLS(host: "a.test", port: port).body == "alpha")
        #expect(try Fixtures.servedSubject(port: port, serverName: nil).contains("CN = a.test"))

        await dataPlane.apply(ConfigurationSnapshot(revision: 5, listeners: []))
        for backend in backends { await backend.stop() }
    }
}
