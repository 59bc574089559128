/// What the control plane needs from the data plane of this node. Implemented by DataPlane, injected by the
/// executable, so ControlPlane does not depend on NIO.
package protocol ListenerRuntime: Sendable {
    /// Binds `address:port` for a listener that is about to start, so that an address or port that cannot be bound
    /// fails the start call with a clear error and the listener stays stopped. The socket is kept, and the
    /// listener serves once a snapshot that names it is applied; if none does within a minute, it is released.
    ///
    /// - Throws: ``ListenerBindError`` when the socket cannot be bound.
    func reserve(listenerID: String, address: String, port: Int) async throws

    /// The health of each backend of a running listener, as this node sees it.
    func health(listenerID: String) -> [BackendHealth]

    /// Returns once this node serves a configuration of at least `revision` (a snapshot of that revision or newer was
    /// applied), or after a bounded wait (5 s) if that does not happen, e.g. because the snapshot could not be built.
    /// API calls use it so that when they answer, this node already serves what they changed.
    func waitUntilApplied(revision: Int64) async
}

/// Why a listener's socket could not be bound.
package struct ListenerBindError: Error, Hashable, Sendable {
    package var address: String
    package var port: Int
    /// The system's reason, e.g. "Address already in use (errno: 98)".
    package var reason: String

    package init(address: String, port: Int, reason: String) {
        self.address = address
        self.port = port
        self.reason = reason
    }
}

/// One backend's health on one listener (CLB `ServerHealthStatus`).
package struct BackendHealth: Hashable, Sendable {
    package enum Status: String, Hashable, Sendable {
        /// Passing health checks (or health checks are off).
        case normal
        /// Failing health checks: it gets no new requests.
        case abnormal
        /// No check has completed yet.
        case unavailable
    }

    package var serverID: String
    package var ip: String
    package var port: Int
    package var status: Status

    package init(serverID: String, ip: String, port: Int, status: Status) {
        self.serverID = serverID
        self.ip = ip
        self.port = port
        self.status = status
    }
}
