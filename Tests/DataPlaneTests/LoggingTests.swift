import ControlPlane
import DataPlane
import GatehouseTestSupport
import Logging
import NIOPosix
import Testing

@Suite("Data plane logging")
struct LoggingTests {
    @Test("Lifecycle and refusals are logged with dotted keys; key material never is")
    func noKeyMaterialInLogs() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let store = CapturingLogHandler.Store()
        let dataPlane = DataPlane(
            logger: Logger(label: "test") { _ in CapturingLogHandler(store: store) },
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton
        )
        var listener = Fixtures.listener(.https, port: port, backends: backends, tls: Fixtures.tls())
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        #expect(Fixtures.curlTLS(host: "b.test", port: port).body == "alpha")
        listener.tls?.defaultCertificate.privateKeyPEM = Fixtures.pki.pem("b.key")
        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: [listener]))
        await dataPlane.apply(ConfigurationSnapshot(revision: 3, listeners: []))

        let logs = store.all
        #expect(logs.contains { $0.contains("Listener started") && $0.contains("listener.id") })
        #expect(logs.contains { $0.contains("configuration refused") && $0.contains("cert-a") })
        #expect(logs.contains { $0.contains("tls.sni") && $0.contains("b.test") })
        let keyLines = ["a.key", "b.key"].flatMap {
            Fixtures.pki.pem($0).split(separator: "\n").filter { !$0.hasPrefix("-----") }.prefix(2).map(String.init)
        }
        #expect(!keyLines.isEmpty)
        for entry in logs {
            #expect(!entry.contains("PRIVATE KEY"))
            #expect(!keyLines.contains { entry.contains($0) }, "\(entry)")
        }
        for backend in backends { await backend.stop() }
    }
}
