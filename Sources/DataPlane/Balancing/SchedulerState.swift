package import ControlPlane

/// The decisions of a listener's scheduler: which backend gets the next request or connection.
///
/// A pure value, tested without sockets. `wrr` is nginx's smooth weighted round robin (every backend is picked
/// in proportion to its weight, interleaved rather than in bursts), `rr` cycles through the candidates, and `wlc`
/// picks the fewest active requests per unit of weight. Backends are keyed by `serverID`, so the state survives
/// a snapshot that keeps a backend.
package struct SchedulerState: Sendable {
    private var currentWeights: [String: Int] = [:]
    private var nextIndex = 0
    /// Requests or connections each backend is serving now (by `serverID`).
    package private(set) var active: [String: Int] = [:]

    package init() {}

    /// Picks one of `candidates` (already filtered for health); backends with weight 0 never get traffic.
    package mutating func pick(from candidates: [BackendSnapshot], policy: Scheduler) -> BackendSnapshot? {
        let candidates = candidates.filter { $0.weight > 0 }
        guard !candidates.isEmpty else { return nil }
        switch policy {
        case .wrr:
            return self.pickSmoothWeighted(candidates)
        case .rr:
            let chosen = candidates[self.nextIndex % candidates.count]
            self.nextIndex &+= 1
            return chosen
        case .wlc:
            return self.pickLeastConnections(candidates)
        }
    }

    /// Counts a request or connection that started on `serverID`.
    package mutating func begin(_ serverID: String) {
        self.active[serverID, default: 0] += 1
    }

    /// Counts a request or connection that ended on `serverID`.
    package mutating func end(_ serverID: String) {
        guard let count = self.active[serverID] else { return }
        self.active[serverID] = count > 1 ? count - 1 : nil
    }

    private mutating func pickSmoothWeighted(_ candidates: [BackendSnapshot]) -> BackendSnapshot {
        var total = 0
        var best: BackendSnapshot?
        var bestWeight = Int.min
        for backend in candidates {
            let weight = self.currentWeights[backend.serverID, default: 0] + backend.weight
            self.currentWeights[backend.serverID] = weight
            total += backend.weight
            if weight > bestWeight {
                best = backend
                bestWeight = weight
            }
        }
        let chosen = best!
        self.currentWeights[chosen.serverID, default: 0] -= total
        return chosen
    }

    private mutating func pickLeastConnections(_ candidates: [BackendSnapshot]) -> BackendSnapshot {
        // Start at a rotating offset so that equally loaded backends take turns.
        let start = self.nextIndex % candidates.count
        self.nextIndex &+= 1
        var best = candidates[start]
        for offset in 1..<max(candidates.count, 1) {
            let backend = candidates[(start + offset) % candidates.count]
            // active/weight < bestActive/bestWeight, without division.
            if self.active[backend.serverID, default: 0] * best.weight
                < self.active[best.serverID, default: 0] * backend.weight
            {
                best = backend
            }
        }
        return best
    }
}
