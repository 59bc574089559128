import ControlPlane
import DataPlane
import Foundation
import GatehouseTestSupport
import Logging
import NIOPosix

/// Builders and clients shared by the data plane tests.
enum Fixtures {
    static let logger = Logger(label: "gatehouse.dataplane.tests") { _ in SwiftLogNoOpLogHandler() }

    static func dataPlane() -> DataPlane {
        DataPlane(logger: Self.logger, eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
    }

    static let pki = TestPKI.shared

    static func material(_ name: String) -> CertificateMaterial {
        CertificateMaterial(
            id: "cert-\(name)",
            chainPEM: Self.pki.pem("\(name).chain.pem"),
            privateKeyPEM: Self.pki.pem("\(name).key")
        )
    }

    static let modernPolicy = TLSPolicy(
        name: "tls_cipher_policy_1_2",
        minimumVersion: .tls12,
        maximumVersion: .tls13,
        ciphers: [
            "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-ECDSA-AES256-GCM-SHA384",
        ]
    )

    static func tls(
        default name: String = "a",
        sni: [(String, String)] = [("b.test", "b"), ("*.b.test", "b")],
        clientCA: String? = nil,
        policy: TLSPolicy = Self.modernPolicy
    ) -> TLSSnapshot {
        TLSSnapshot(
            defaultCertificate: Self.material(name),
            sniCertificates: sni.map { SNICertificate(domain: $0.0, certificate: Self.material($0.1)) },
            clientCAPEM: clientCA,
            policy: policy
        )
    }

    static func listener(
        _ protocol: ListenerProtocol,
        port: Int,
        backends: [TestBackend],
        scheduler: Scheduler = .rr,
        tls: TLSSnapshot? = nil,
        headers: ForwardedHeaders = ForwardedHeaders(),
        healthCheck: HealthCheckSnapshot? = nil,
        requestTimeout: Int = 60
    ) -> ListenerSnapshot {
        ListenerSnapshot(
            id: "lb-test_\(`protocol`.rawValue)_\(port)",
            loadBalancerID: "lb-test",
            address: "127.0.0.1",
            port: port,
            protocol: `protocol`,
            backends: backends.map { BackendSnapshot(serverID: "i-\($0.name)", ip: $0.ip, port: $0.port, weight: 100) },
            scheduler: scheduler,
            tls: tls,
            forwardedHeaders: headers,
            requestTimeoutSeconds: requestTimeout,
            healthCheck: healthCheck
        )
    }

    /// What ``serving(_:backends:tls:headers:_:)`` hands its body.
    struct Served {
        var port: Int
        var backends: [TestBackend]
        var dataPlane: DataPlane
        /// The listener applied at revision 1; the body may apply changed copies at later revisions.
        var listener: ListenerSnapshot
    }

    /// Starts backends named `names` and a fresh data plane serving one listener on a free port, runs `body`, then
    /// removes the listener and stops the backends (also when `body` throws).
    static func serving(
        _ protocol: ListenerProtocol,
        backends names: [String] = ["alpha"],
        tls: TLSSnapshot? = nil,
        headers: ForwardedHeaders = ForwardedHeaders(),
        _ body: (Served) async throws -> Void
    ) async throws {
        let backends = try await TestBackend.start(names)
        let port = try await freePort()
        let dataPlane = Self.dataPlane()
        let listener = Self.listener(`protocol`, port: port, backends: backends, tls: tls, headers: headers)
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        let result: Result<Void, any Error>
        do {
            try await body(Served(port: port, backends: backends, dataPlane: dataPlane, listener: listener))
            result = .success(())
        } catch {
            result = .failure(error)
        }
        await dataPlane.apply(ConfigurationSnapshot(revision: .max, listeners: []))
        for backend in backends { await backend.stop() }
        try result.get()
    }

    /// curl with a 5 s cap; a transport failure comes back as status 0.
    static func curl(_ url: String, _ arguments: [String] = []) -> (status: Int, body: String) {
        (try? Shell.curl(url, ["--noproxy", "*", "-m", "5"] + arguments)) ?? (0, "")
    }

    /// HTTPS through curl against the test root, for `host` resolved to 127.0.0.1.
    static func curlTLS(
        host: String,
        port: Int,
        path: String = "/",
        _ arguments: [String] = []
    ) -> (status: Int, body: String) {
        Self.curl(
            "https://\(host):\(port)\(path)",
            ["--cacert", Self.pki.path("root.crt"), "--resolve", "\(host):\(port):127.0.0.1"] + arguments
        )
    }

    /// The subject of the certificate the listener serves for `serverName` (nil: no SNI).
    static func servedSubject(port: Int, serverName: String?) throws -> String {
        let sni = serverName.map { "-servername \($0)" } ?? "-noservername"
        return try Shell.run(
            "/bin/bash",
            [
                "-c",
                "openssl s_client -connect 127.0.0.1:\(port) \(sni) </dev/null 2>/dev/null | openssl x509 -noout -subject",
            ]
        ).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs blocking work (curl loops) on a thread of its own, so it neither waits for nor starves the
    /// cooperative pool, which other tests block with their own subprocesses.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// Waits until `condition` holds, polling every 100 ms, for up to `seconds`.
    static func eventually(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return condition()
    }
}
