import ControlPlane
import Logging
import Synchronization

/// What one bound listener socket shares across its connections and across configuration changes: the
/// published ``CompiledListener``, the open connections, the backend pool, the bandwidth bucket, the backends'
/// health and the scheduler.
///
/// Thread-safe; connections on every event loop read it.
final class ListenerHandle: Sendable {
    let id: String
    let address: String
    let port: Int
    let logger: Logger
    let connections = ConnectionTracker()
    let bandwidth = TokenBucket()
    let health = HealthTable()
    let scheduler = BackendScheduler()
    let pool: BackendConnectionPool
    private let compiled = Mutex<CompiledListener?>(nil)

    init(id: String, address: String, port: Int, logger: Logger) {
        self.id = id
        self.address = address
        self.port = port
        var logger = logger
        logger[metadataKey: "listener.id"] = "\(id)"
        self.logger = logger
        self.pool = BackendConnectionPool(bandwidth: self.bandwidth)
    }

    /// The configuration new connections and requests use; nil until a snapshot names the listener.
    var current: CompiledListener? { self.compiled.withLock { $0 } }

    /// Swaps in `listener` for new connections and requests; open connections keep what they started with.
    ///
    /// Returns the health check plan to start when checks are on and the backends or settings changed.
    func publish(_ listener: CompiledListener) -> HealthPlan? {
        self.compiled.withLock { $0 = listener }
        let snapshot = listener.snapshot
        self.bandwidth.setRate(megabitsPerSecond: snapshot.bandwidthMbps)
        self.pool.retain(
            Set(snapshot.backends.map { BackendConnectionPool.Address(host: $0.ip, port: $0.port) })
        )
        return self.health.configure(
            listenerID: self.id,
            backends: snapshot.backends,
            check: snapshot.healthCheck
        )
    }

    /// Picks the backend for a new request or connection from `client` (its IP address, for `sch`): weight above
    /// 0, not `abnormal`, by the scheduler.
    func pickBackend(_ listener: CompiledListener, client: String?) -> BackendSnapshot? {
        let candidates = listener.snapshot.backends.filter { $0.weight > 0 && self.health.isEligible($0.serverID) }
        return self.scheduler.pick(from: candidates, policy: listener.snapshot.scheduler, client: client)
    }
}
