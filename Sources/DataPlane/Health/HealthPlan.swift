import ControlPlane

/// What one backend's checks connect to.
struct HealthTarget: Hashable, Sendable {
    var serverID: String
    var ip: String
    var port: Int
}

/// The health checks of one listener as one generation of its ``HealthTable``: handed from `apply` to the
/// checking loop in `run()`, which stops checking once the table moves on to a newer generation.
struct HealthPlan: Sendable {
    var listenerID: String
    var generation: Int
    var check: HealthCheckSnapshot
    var targets: [HealthTarget]
    var table: HealthTable

    /// Identifies the plan among those running.
    var key: String { "\(self.listenerID)#\(self.generation)" }
}
