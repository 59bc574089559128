package import ControlPlane
package import Logging
package import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The data plane of this node: binds the listeners of the applied ``ConfigurationSnapshot`` and proxies their
/// traffic (HTTP/1.1 and HTTPS reverse proxy, TCP pass-through) to their backends, with health checks.
///
/// Configuration only ever comes from snapshots passed to ``apply(_:)``; nothing is read from storage. Each
/// listener's state is an immutable ``CompiledListener`` swapped whole, so open connections keep working while
/// new ones pick up changes. As a `Service`, ``run()`` runs the health checks and, on graceful shutdown or
/// cancellation, stops every listener and drains its connections.
package final class DataPlane: ListenerRuntime, Service, Sendable {
    struct BoundListener: Sendable {
        var handle: ListenerHandle
        var channel: any Channel
        /// Named by an applied snapshot; an unclaimed reservation is released after the reservation timeout.
        var claimed: Bool
    }

    struct State {
        var revision: Int64?
        var listeners: [String: BoundListener] = [:]
        var healthPlans: [String: HealthPlan] = [:]
        var isShutDown = false
    }

    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    let reservationTimeout: TimeAmount
    let drainPeriod: TimeAmount
    let state = Mutex(State())
    /// Orders `apply` and `reserve`, which bind and close sockets across suspension points.
    let serial = AsyncSerialQueue()
    /// Every listener's current health plan, newest set only; consumed by ``run()``.
    let healthPlans: AsyncStream<[HealthPlan]>
    let healthPlanUpdates: AsyncStream<[HealthPlan]>.Continuation

    /// Creates a data plane with no listeners.
    ///
    /// - Parameters:
    ///   - logger: Receives lifecycle events at `info`, refused configurations at `error`, per-connection
    ///     events at `debug`; metadata keys are dotted (`listener.id`, `backend.address`).
    ///   - eventLoopGroup: Runs the listeners, backend connections and health checks.
    package convenience init(logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
    {
        self.init(
            logger: logger,
            eventLoopGroup: eventLoopGroup,
            reservationTimeout: .seconds(60),
            drainPeriod: .seconds(10)
        )
    }

    /// Creates a data plane with custom timings (tests).
    init(logger: Logger, eventLoopGroup: any EventLoopGroup, reservationTimeout: TimeAmount, drainPeriod: TimeAmount) {
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.reservationTimeout = reservationTimeout
        self.drainPeriod = drainPeriod
        (self.healthPlans, self.healthPlanUpdates) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The health of each backend of a running listener (`normal` for all when health checks are off); empty
    /// for an unknown or unconfigured listener. Thread-safe and cheap.
    package func health(listenerID: String) -> [BackendHealth] {
        guard let handle = self.state.withLock({ $0.listeners[listenerID]?.handle }),
            let listener = handle.current
        else { return [] }
        let snapshot = listener.snapshot
        return snapshot.backends.map {
            BackendHealth(
                serverID: $0.serverID,
                ip: $0.ip,
                port: $0.port,
                status: handle.health.status(of: $0.serverID)
            )
        }
    }

    package func waitUntilApplied(revision: Int64) async {
        let deadline = ContinuousClock.now.advanced(by: .seconds(5))
        while ContinuousClock.now < deadline {
            if self.state.withLock({ $0.isShutDown || ($0.revision ?? Int64.min) >= revision }) { return }
            try? await Task.sleep(for: .milliseconds(5))
        }
        self.logger.warning("The data plane did not apply a change in time", metadata: ["snapshot.revision": "\(revision)"])
    }

    /// Runs the health checks until graceful shutdown or cancellation, then stops every listener: no new
    /// connections, open ones finish their current request (up to the drain period, 10 s), then close.
    package func run() async throws {
        await withDiscardingTaskGroup { group in
            var running = Set<String>()
            for await plans in self.healthPlans.cancelOnGracefulShutdown() {
                for plan in plans where !running.contains(plan.key) {
                    let runner = HealthCheckRunner(plan: plan, group: self.eventLoopGroup, logger: self.logger)
                    group.addTask { await runner.run() }
                }
                running = Set(plans.map(\.key))
            }
            group.cancelAll()
        }
        await self.shutDown()
    }
}
