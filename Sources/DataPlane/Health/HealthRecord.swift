package import ControlPlane

/// One backend's health check history, reduced to what decides its status.
///
/// The first completed check sets the status directly (until then it is `unavailable`, which still gets traffic,
/// so a fresh listener works at once). After that, `unhealthyThreshold` consecutive failures make a normal backend
/// abnormal and `healthyThreshold` consecutive successes make an abnormal backend normal again.
package struct HealthRecord: Hashable, Sendable {
    /// The status ``DataPlane/health(listenerID:)`` reports.
    package private(set) var status: BackendHealth.Status = .unavailable
    private var consecutiveSuccesses = 0
    private var consecutiveFailures = 0

    package init() {}

    /// Whether the scheduler may send new requests to this backend.
    package var isEligible: Bool { self.status != .abnormal }

    /// Folds in one check result; returns true when the status changed.
    @discardableResult
    package mutating func record(success: Bool, healthyThreshold: Int, unhealthyThreshold: Int) -> Bool {
        let before = self.status
        if success {
            self.consecutiveSuccesses += 1
            self.consecutiveFailures = 0
        } else {
            self.consecutiveFailures += 1
            self.consecutiveSuccesses = 0
        }
        switch self.status {
        case .unavailable:
            self.status = success ? .normal : .abnormal
        case .normal where !success && self.consecutiveFailures >= max(unhealthyThreshold, 1):
            self.status = .abnormal
        case .abnormal where success && self.consecutiveSuccesses >= max(healthyThreshold, 1):
            self.status = .normal
        default:
            break
        }
        return before != self.status
    }
}
