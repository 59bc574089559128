import ControlPlane
import Synchronization

/// The health of one listener's backends, read by the scheduler on every request and written by the checks.
///
/// Thread-safe. Each change of the check settings or the backends starts a new generation; results of an older
/// generation are ignored, and its checking loop ends.
final class HealthTable: Sendable {
    private struct Storage {
        var generation = 0
        var check: HealthCheckSnapshot?
        var targets: [HealthTarget] = []
        var records: [String: HealthRecord] = [:]
    }

    private let storage = Mutex(Storage())

    /// Adopts the listener's current backends and check settings.
    ///
    /// Returns the plan to run when checks are on and something changed, nil otherwise. Backends whose address
    /// and check settings did not change keep their records.
    func configure(
        listenerID: String,
        backends: [BackendSnapshot],
        check: HealthCheckSnapshot?
    ) -> HealthPlan? {
        let targets = backends.map {
            HealthTarget(serverID: $0.serverID, ip: $0.ip, port: check?.connectPort ?? $0.port)
        }
        return self.storage.withLock { storage in
            guard storage.check != check || storage.targets != targets else { return nil }
            let keep = storage.check == check ? Set(storage.targets).intersection(targets) : []
            storage.records = storage.records.filter { serverID, _ in
                keep.contains { $0.serverID == serverID }
            }
            storage.generation += 1
            storage.check = check
            storage.targets = targets
            guard let check else { return nil }
            return HealthPlan(
                listenerID: listenerID,
                generation: storage.generation,
                check: check,
                targets: targets,
                table: self
            )
        }
    }

    /// Ends the checks of the current generation (the listener stopped).
    func retire() {
        self.storage.withLock {
            $0.generation += 1
            $0.check = nil
            $0.targets = []
        }
    }

    /// Whether `generation` is still the one to check.
    func isCurrent(_ generation: Int) -> Bool {
        self.storage.withLock { $0.generation == generation }
    }

    /// Records one check result of `generation`; returns the new status when it changed.
    func record(serverID: String, success: Bool, generation: Int) -> BackendHealth.Status? {
        self.storage.withLock { storage in
            guard storage.generation == generation, let check = storage.check else { return nil }
            var record = storage.records[serverID] ?? HealthRecord()
            let changed = record.record(
                success: success,
                healthyThreshold: check.healthyThreshold,
                unhealthyThreshold: check.unhealthyThreshold
            )
            storage.records[serverID] = record
            return changed ? record.status : nil
        }
    }

    /// The status of a backend: `normal` when checks are off, `unavailable` before the first result.
    func status(of serverID: String) -> BackendHealth.Status {
        self.storage.withLock { storage in
            guard storage.check != nil else { return .normal }
            return storage.records[serverID]?.status ?? .unavailable
        }
    }

    /// Whether new requests may go to a backend (anything but `abnormal`).
    func isEligible(_ serverID: String) -> Bool {
        self.status(of: serverID) != .abnormal
    }
}
