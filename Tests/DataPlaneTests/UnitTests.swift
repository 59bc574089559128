import ControlPlane
import DataPlane
import Testing

@Suite("Data plane decisions")
struct UnitTests {
    @Test("SNI: exact beats wildcard, a wildcard covers one label, else the default")
    func sniPrecedence() {
        let selector = SNICertificateSelector<String>([
            ("*.example.com", "wild-example"),
            ("*.market.example.com", "wild-market"),
            ("shop.market.example.com", "exact-shop"),
            ("WWW.Example.com", "exact-www"),
        ])
        #expect(selector.select("shop.market.example.com") == "exact-shop")
        #expect(selector.select("api.market.example.com") == "wild-market")
        #expect(selector.select("market.example.com") == "wild-example")
        #expect(selector.select("www.example.com.") == "exact-www")
        #expect(selector.select("Foo.EXAMPLE.com") == "wild-example")
        #expect(selector.select("a.b.example.com") == nil)
        #expect(selector.select("example.com") == nil)
        #expect(selector.select(nil) == nil)
        #expect(selector.select("other.test") == nil)
    }

    @Test("wrr is nginx's smooth weighted round robin")
    func smoothWeightedRoundRobin() {
        var state = SchedulerState()
        let backends = [
            BackendSnapshot(serverID: "a", ip: "10.0.0.1", port: 80, weight: 5),
            BackendSnapshot(serverID: "b", ip: "10.0.0.2", port: 80, weight: 1),
            BackendSnapshot(serverID: "c", ip: "10.0.0.3", port: 80, weight: 1),
            BackendSnapshot(serverID: "off", ip: "10.0.0.4", port: 80, weight: 0),
        ]
        let picks = (0..<7).compactMap { _ in state.pick(from: backends, policy: .wrr)?.serverID }
        #expect(picks == ["a", "a", "b", "a", "c", "a", "a"])
    }

    @Test("rr cycles, wlc prefers the fewest active requests per weight, weight 0 gets nothing")
    func roundRobinAndLeastConnections() {
        var state = SchedulerState()
        let backends = [
            BackendSnapshot(serverID: "a", ip: "10.0.0.1", port: 80, weight: 10),
            BackendSnapshot(serverID: "b", ip: "10.0.0.2", port: 80, weight: 90),
        ]
        #expect((0..<4).compactMap { _ in state.pick(from: backends, policy: .rr)?.serverID } == ["a", "b", "a", "b"])
        state.begin("b")
        state.begin("b")
        state.begin("a")
        // a: 1/10, b: 2/90 -> b
        #expect(state.pick(from: backends, policy: .wlc)?.serverID == "b")
        state.end("a")
        // a: 0/10 -> a
        #expect(state.pick(from: backends, policy: .wlc)?.serverID == "a")
        #expect(state.pick(from: [BackendSnapshot(serverID: "z", ip: "10.0.0.9", port: 80, weight: 0)], policy: .wrr) == nil)
    }

    @Test("sch keeps each client on its backend, moves only a leaving backend's clients, and follows weights")
    func sourceHashing() {
        let backends = [
            BackendSnapshot(serverID: "a", ip: "10.0.0.1", port: 80, weight: 1),
            BackendSnapshot(serverID: "b", ip: "10.0.0.2", port: 80, weight: 3),
            BackendSnapshot(serverID: "c", ip: "10.0.0.3", port: 80, weight: 0),
        ]
        let clients = (0..<4000).map { "192.168.\($0 / 256).\($0 % 256)" }
        let picks = clients.map { SchedulerState.pickBySource(backends, client: $0)?.serverID }
        #expect(clients.map { SchedulerState.pickBySource(backends, client: $0)?.serverID } == picks)
        #expect(!picks.contains("c"))
        let shareOfB = Double(picks.filter { $0 == "b" }.count) / Double(clients.count)
        #expect((0.70...0.80).contains(shareOfB), "b has weight 3 of 4: \(shareOfB)")

        // A new backend takes clients only for itself; everyone else stays put.
        let grown = backends + [BackendSnapshot(serverID: "d", ip: "10.0.0.4", port: 80, weight: 1)]
        for (client, before) in zip(clients, picks) {
            let after = SchedulerState.pickBySource(grown, client: client)?.serverID
            #expect(after == before || after == "d")
        }
        #expect(SchedulerState.pickBySource([backends[2]], client: "1.2.3.4") == nil)
    }

    @Test("Health: first result decides, then thresholds of consecutive results")
    func healthThresholds() {
        var record = HealthRecord()
        #expect(record.status == .unavailable && record.isEligible)
        record.record(success: true, healthyThreshold: 3, unhealthyThreshold: 2)
        #expect(record.status == .normal)
        record.record(success: false, healthyThreshold: 3, unhealthyThreshold: 2)
        #expect(record.status == .normal)
        record.record(success: false, healthyThreshold: 3, unhealthyThreshold: 2)
        #expect(record.status == .abnormal && !record.isEligible)
        record.record(success: true, healthyThreshold: 3, unhealthyThreshold: 2)
        record.record(success: true, healthyThreshold: 3, unhealthyThreshold: 2)
        #expect(record.status == .abnormal)
        record.record(success: true, healthyThreshold: 3, unhealthyThreshold: 2)
        #expect(record.status == .normal)
    }

    @Test("Only cipher names BoringSSL has survive")
    func cipherFilter() {
        #expect(
            CipherSuiteTable.usable([
                "RC4-SHA", "ecdhe-rsa-aes128-gcm-sha256", "DHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
            ])
                == ["ECDHE-RSA-AES128-GCM-SHA256"]
        )
        #expect(CipherSuiteTable.usable(["CAMELLIA128-SHA", "ECC-SM4-SM3"]).isEmpty)
    }
}
