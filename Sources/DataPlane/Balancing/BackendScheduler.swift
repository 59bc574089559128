import ControlPlane
import Synchronization

/// A listener's ``SchedulerState`` behind a lock, shared by all its connections on every event loop.
///
/// Thread-safe; every call is one short critical section.
final class BackendScheduler: Sendable {
    private let state = Mutex(SchedulerState())

    /// Picks a backend among the healthy `candidates`, or nil when none has weight. `client` is the client's IP
    /// address, which `sch` hashes.
    func pick(from candidates: [BackendSnapshot], policy: Scheduler, client: String?) -> BackendSnapshot? {
        if policy == .sch { return SchedulerState.pickBySource(candidates, client: client ?? "") }
        return self.state.withLock { $0.pick(from: candidates, policy: policy) }
    }

    /// Records that a request or connection started on `serverID` (for `wlc`).
    func begin(_ serverID: String) {
        self.state.withLock { $0.begin(serverID) }
    }

    /// Records that a request or connection on `serverID` ended.
    func end(_ serverID: String) {
        self.state.withLock { $0.end(serverID) }
    }
}
