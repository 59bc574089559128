import ControlPlane
import DataPlane
import GatehouseTestSupport
import Testing

@Suite("Health checks")
struct HealthCheckTests {
    @Test("A failing backend is taken out, all failing means 503, recovery brings it back")
    func failingBackendTakenOut() async throws {
        let backends = try await TestBackend.start(["alpha", "beta"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        let check = HealthCheckSnapshot(
            kind: .http,
            uri: "/health",
            method: "GET",
            httpCodes: ["http_2xx"],
            intervalSeconds: 1,
            timeoutSeconds: 1,
            healthyThreshold: 1,
            unhealthyThreshold: 1
        )
        let listener = Fixtures.listener(.http, port: port, backends: backends, healthCheck: check)
        let run = Task { try await dataPlane.run() }
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        let healthy = await Fixtures.eventually {
            dataPlane.health(listenerID: listener.id).map(\.status) == [.normal, .normal]
        }
        #expect(healthy)

        backends[1].isHealthy = false
        let beta = await Fixtures.eventually {
            dataPlane.health(listenerID: listener.id).map(\.status) == [.normal, .abnormal]
        }
        #expect(beta, "\(dataPlane.health(listenerID: listener.id))")
        let answers = (0..<4).map { _ in Fixtures.curl("http://127.0.0.1:\(port)/").body }
        #expect(answers == ["alpha", "alpha", "alpha", "alpha"])

        backends[0].isHealthy = false
        _ = await Fixtures.eventually {
            dataPlane.health(listenerID: listener.id).map(\.status) == [.abnormal, .abnormal]
        }
        let down = Fixtures.curl("http://127.0.0.1:\(port)/")
        #expect(down.status == 503)

        backends[1].isHealthy = true
        let back = await Fixtures.eventually { Fixtures.curl("http://127.0.0.1:\(port)/").body == "beta" }
        #expect(back)

        // A tcp check only connects: a stopped backend fails it.
        var tcp = listener
        tcp.healthCheck = HealthCheckSnapshot(
            kind: .tcp,
            intervalSeconds: 1,
            timeoutSeconds: 1,
            healthyThreshold: 1,
            unhealthyThreshold: 1
        )
        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: [tcp]))
        await backends[0].stop()
        let tcpResult = await Fixtures.eventually {
            dataPlane.health(listenerID: listener.id).map(\.status) == [.abnormal, .normal]
        }
        #expect(tcpResult, "\(dataPlane.health(listenerID: listener.id))")

        run.cancel()
        _ = await run.result
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").status == 0)
        for backend in backends { await backend.stop() }
    }
}
