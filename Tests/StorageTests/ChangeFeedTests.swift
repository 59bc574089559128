import Crypto
import Foundation
import Logging
import Storage
import Synchronization
import Testing

@Suite("Change signals")
struct ChangeFeedTests {
    @Test("A committed write signals this process's subscribers", arguments: Engine.available)
    func localSignal(engine: Engine) async throws {
        try await engine.withStore { store in
            let counter = Counter(store.changes())
            try await Task.sleep(for: .milliseconds(300))  // PostgreSQL: let the listener connect (it signals too)
            let before = counter.value
            try await store.accessKeys.upsert(AccessKeyRecord(id: "AK1", secret: "s", note: "", createdAt: 1))
            #expect(await counter.waitBeyond(before, within: .seconds(10)))
        }
    }

    @Test("A write on one PostgreSQL node reaches another node's subscribers through NOTIFY",
          .enabled(if: Engine.available.contains(.postgres)))
    func crossNodeSignal() async throws {
        let url = try #require(Engine.postgresURL, "GATEHOUSE_TEST_POSTGRES_URL is not set")
        let schema = "feed_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let key = SymmetricKey(size: .bits256)
        let logger = { var logger = Logger(label: "feed-tests"); logger.logLevel = .warning; return logger }()
        try await Store.withStore(.postgres(try PostgresURL(url)), masterKey: key, schema: String(schema), logger: logger) { nodeA in
            try await Store.withStore(.postgres(try PostgresURL(url)), masterKey: key, schema: String(schema), logger: logger) { nodeB in
                let counter = Counter(nodeB.changes())
                // Wait for node B's listener: it signals once when its LISTEN is in place.
                #expect(await counter.waitBeyond(0, within: .seconds(10)))
                let (signals, before) = (counter.value, try await nodeB.revision())
                try await nodeA.accessKeys.upsert(AccessKeyRecord(id: "AK1", secret: "s", note: "", createdAt: 1))
                #expect(await counter.waitBeyond(signals, within: .seconds(10)))
                #expect(try await nodeB.revision() > before)
                #expect(try await nodeB.accessKeys.get("AK1")?.secret == "s")
            }
        }
    }

    /// Counts the signals of a stream in the background (cancelling an AsyncStream's consumer would end the stream,
    /// so timeouts poll the count instead).
    final class Counter: Sendable {
        private final class Cell: Sendable {
            let count = Mutex(0)
        }

        private let cell = Cell()
        private let task: Task<Void, Never>

        init(_ stream: AsyncStream<Void>) {
            let cell = self.cell
            self.task = Task { for await _ in stream { cell.count.withLock { $0 += 1 } } }
        }

        var value: Int { self.cell.count.withLock { $0 } }

        /// Waits until the count exceeds `previous`, at most `limit`.
        func waitBeyond(_ previous: Int, within limit: Duration) async -> Bool {
            let deadline = ContinuousClock.now + limit
            while ContinuousClock.now < deadline {
                if self.value > previous { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return self.value > previous
        }

        deinit { self.task.cancel() }
    }
}
