import ControlPlane
import DataPlane
import Foundation
import GatehouseTestSupport
import NIOCore
import NIOPosix
import Testing

@Suite("HTTP and TCP proxying, listener lifecycle")
struct ProxyTests {
    @Test("Plain HTTP: X-Forwarded-* added, spoofed and hop-by-hop headers removed")
    func forwardedHeaders() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        var headers = ForwardedHeaders()
        headers.forwardedProto = true
        headers.slbIP = true
        headers.slbID = true
        headers.slbPort = true
        headers.clientSourcePort = true
        await dataPlane.apply(
            ConfigurationSnapshot(
                revision: 1,
                listeners: [
                    Fixtures.listener(.http, port: port, backends: backends, headers: headers)
                ]
            )
        )

        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").body == "alpha")
        let echo = Fixtures.curl(
            "http://127.0.0.1:\(port)/headers",
            [
                "-H", "X-Forwarded-For: 6.6.6.6", "-H", "SLB-ID: spoofed", "-H", "X-Forwarded-Proto: https",
                "-H", "X-Forwarded-Clientcert-clientverify: SUCCESS", "-H", "Connection: keep-alive, X-Secret",
                "-H", "X-Secret: hop", "-H", "X-Kept: yes",
            ]
        )
        #expect(echo.status == 200)
        let lines = Set(echo.body.split(separator: "\n").map(String.init))
        #expect(lines.contains("x-forwarded-for: 127.0.0.1"))
        #expect(lines.contains("x-forwarded-proto: http"))
        #expect(lines.contains("slb-ip: 127.0.0.1"))
        #expect(lines.contains("slb-id: lb-test"))
        #expect(lines.contains("x-forwarded-port: \(port)"))
        #expect(lines.contains { $0.hasPrefix("x-forwarded-client-srcport: ") })
        #expect(lines.contains("x-kept: yes"))
        #expect(lines.contains("host: 127.0.0.1:\(port)"))
        #expect(!echo.body.contains("6.6.6.6"))
        #expect(!echo.body.contains("spoofed"))
        #expect(!echo.body.contains("clientverify"))
        #expect(!echo.body.contains("x-secret"))
        #expect(!lines.contains { $0.hasPrefix("connection:") && $0.contains("X-Secret") })

        // A request body streams through, and keep-alive serves several requests on one connection.
        let upload = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-upload-\(port)")
        try Data(repeating: 120, count: 3_000_000).write(to: upload)
        defer { try? FileManager.default.removeItem(at: upload) }
        let posted = Fixtures.curl("http://127.0.0.1:\(port)/", ["--data-binary", "@\(upload.path)"])
        #expect(posted.status == 200 && posted.body == "alpha")
        // Two requests on one kept-alive connection (curl prints each status after its body).
        let twice = Fixtures.curl("http://127.0.0.1:\(port)/", ["--next", "http://127.0.0.1:\(port)/"])
        #expect(twice.body == "alpha\n200alpha")

        // The backend closes its kept-alive connection while it sits in the pool: the next request still works.
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/idle-close").body == "alpha")
        try await Task.sleep(for: .milliseconds(500))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").body == "alpha")

        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: []))
        for backend in backends { await backend.stop() }
    }

    @Test("503 with no backend, 502 when the backend is down, 504 after the request timeout")
    func gatewayErrors() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        var listener = Fixtures.listener(.http, port: port, backends: [], requestTimeout: 1)
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").status == 503)

        listener = Fixtures.listener(.http, port: port, backends: backends, requestTimeout: 1)
        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: [listener]))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/slow").status == 504)
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").body == "alpha")

        // Nothing listens on 127.0.0.9: connection refused.
        listener.backends = [BackendSnapshot(serverID: "i-gone", ip: "127.0.0.9", port: 9, weight: 100)]
        await dataPlane.apply(ConfigurationSnapshot(revision: 3, listeners: [listener]))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").status == 502)
        await dataPlane.apply(ConfigurationSnapshot(revision: 4, listeners: []))
        for backend in backends { await backend.stop() }
    }

    @Test("A removed listener stops accepting but finishes the request in flight")
    func stopDrains() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        await dataPlane.apply(
            ConfigurationSnapshot(revision: 1, listeners: [Fixtures.listener(.http, port: port, backends: backends)])
        )
        async let slow = Fixtures.onThread { Fixtures.curl("http://127.0.0.1:\(port)/slow") }
        let arrived = await Fixtures.eventually { backends[0].requests.contains("/slow") }
        #expect(arrived)
        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: []))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").status == 0)
        let inFlight = await slow
        #expect(inFlight.status == 200 && inFlight.body == "alpha")
        for backend in backends { await backend.stop() }
    }

    @Test("An idle client connection is closed after the idle timeout")
    func idleTimeout() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        var listener = Fixtures.listener(.http, port: port, backends: backends)
        listener.idleTimeoutSeconds = 1
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        let started = ContinuousClock.now
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        let closed = await Fixtures.eventually(4) { !client.isActive }
        #expect(closed)
        #expect(ContinuousClock.now - started > .milliseconds(800))
        try? await client.close()

        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: []))
        for backend in backends { await backend.stop() }
    }

    @Test("TCP listeners relay bytes unchanged")
    func tcpPassThrough() async throws {
        let backends = try await TestBackend.start(["alpha", "beta"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        await dataPlane.apply(
            ConfigurationSnapshot(
                revision: 1,
                listeners: [
                    Fixtures.listener(.tcp, port: port, backends: backends)
                ]
            )
        )
        let bodies = (0..<2).map { _ in Fixtures.curl("http://127.0.0.1:\(port)/headers").body }
        // No proxy headers: the backend sees curl's request as sent.
        #expect(
            bodies.allSatisfy { $0.contains("host: 127.0.0.1:\(port)") && !$0.contains("x-forwarded-for") },
            "\(bodies)"
        )
        let names = (0..<2).map { _ in Fixtures.curl("http://127.0.0.1:\(port)/").body }
        #expect(Set(names) == ["alpha", "beta"])

        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: []))
        for backend in backends { await backend.stop() }
    }

    @Test("reserve() reports a port in use; a reservation serves once a snapshot names it; old revisions are ignored")
    func reserveAndRevisions() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        let listener = Fixtures.listener(.http, port: port, backends: backends)
        try await dataPlane.reserve(listenerID: listener.id, address: "127.0.0.1", port: port)
        // Reserved but not configured: connections are closed.
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").status == 0)

        let other = Fixtures.dataPlane()
        await #expect(throws: ListenerBindError.self) {
            try await other.reserve(listenerID: "lb-other_http_\(port)", address: "127.0.0.1", port: port)
        }
        do {
            try await other.reserve(listenerID: "lb-other_http_\(port)", address: "127.0.0.1", port: port)
        } catch let error as ListenerBindError {
            #expect(error.reason.contains("in use"), "\(error.reason)")
            #expect(error.port == port)
        }

        await dataPlane.apply(ConfigurationSnapshot(revision: 5, listeners: [listener]))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").body == "alpha")
        #expect(dataPlane.health(listenerID: listener.id).map(\.status) == [.normal])

        await dataPlane.apply(ConfigurationSnapshot(revision: 4, listeners: []))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").body == "alpha")

        await dataPlane.apply(ConfigurationSnapshot(revision: 6, listeners: []))
        #expect(Fixtures.curl("http://127.0.0.1:\(port)/").status == 0)
        #expect(dataPlane.health(listenerID: listener.id).isEmpty)
        for backend in backends { await backend.stop() }
    }
}

@Suite("Bandwidth")
struct BandwidthTests {
    @Test("A bandwidth cap slows a listener's traffic down")
    func bandwidthCap() async throws {
        let backends = try await TestBackend.start(["alpha"])
        let port = try await freePort()
        let dataPlane = Fixtures.dataPlane()
        var listener = Fixtures.listener(.http, port: port, backends: backends)
        listener.bandwidthMbps = 8  // 1 MB/s
        await dataPlane.apply(ConfigurationSnapshot(revision: 1, listeners: [listener]))
        let upload = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bandwidth-\(port)")
        try Data(repeating: 120, count: 1_500_000).write(to: upload)
        defer { try? FileManager.default.removeItem(at: upload) }

        let started = ContinuousClock.now
        let posted = Fixtures.curl("http://127.0.0.1:\(port)/", ["--data-binary", "@\(upload.path)"])
        let elapsed = ContinuousClock.now - started
        #expect(posted.status == 200 && posted.body == "alpha")
        #expect(elapsed > .milliseconds(1200), "took \(elapsed)")
        #expect(elapsed < .seconds(4), "took \(elapsed)")

        await dataPlane.apply(ConfigurationSnapshot(revision: 2, listeners: []))
        for backend in backends { await backend.stop() }
    }
}
