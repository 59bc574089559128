import ControlPlane
import Logging
import ServiceLifecycle
import Storage

/// Keeps the data plane on the database's configuration: builds a snapshot at start, after every change signal
/// (this process's commits, and other nodes' through PostgreSQL NOTIFY), and every `pollInterval` as a safety net
/// for lost notifications; hands each newer revision to `apply`.
struct SnapshotUpdater: Service {
    let store: Store
    let logger: Logger
    let pollInterval: Duration
    let apply: @Sendable (ConfigurationSnapshot) async -> Void

    func run() async throws {
        let changes = self.store.changes()
        let builder = SnapshotBuilder(store: self.store, logger: self.logger)
        // Cancellation ends both loops: AsyncStream iteration returns nil in a cancelled task.
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                let (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: self.pollInterval)
                        tick.yield()
                    }
                }
                group.addTask {
                    for await _ in changes { tick.yield() }
                    tick.finish()
                }
                tick.yield()
                var applied: Int64 = -1
                for await _ in ticks {
                    do {
                        let snapshot = try await builder.build()
                        guard snapshot.revision != applied else { continue }
                        await self.apply(snapshot)
                        applied = snapshot.revision
                        self.logger.debug("Applied configuration", metadata: [
                            "config.revision": "\(snapshot.revision)", "listeners": "\(snapshot.listeners.count)",
                        ])
                    } catch is CancellationError {
                        return
                    } catch {
                        self.logger.error("Could not build the configuration snapshot", metadata: ["error": "\(error)"])
                    }
                }
                group.cancelAll()
            }
        }
    }
}
