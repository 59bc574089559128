package import ControlPlane
import Foundation

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
        case .sch:
            return Self.pickBySource(candidates, client: "")
        }
    }

    /// Weighted rendezvous hashing of the client address over the candidates: each backend scores
    /// `weight / -ln(u)` with `u` uniform from a stable hash of (client, server id), and the highest score wins. A
    /// client's pick changes only when its backend leaves (or a new one outscores it), and shares follow weights.
    package static func pickBySource(_ candidates: [BackendSnapshot], client: String) -> BackendSnapshot? {
        var best: BackendSnapshot?
        var bestScore = -Double.infinity
        for backend in candidates where backend.weight > 0 {
            let hash = Self.fnv1a(client, backend.serverID)
            let unit = (Double(hash >> 11) + 0.5) / Double(UInt64(1) << 53)  // in (0, 1)
            let score = Double(backend.weight) / -log(unit)
            if score > bestScore {
                best = backend
                bestScore = score
            }
        }
        return best
    }

    /// FNV-1a over `client`, a separator and `serverID`, finished with a 64-bit mix so nearby inputs spread.
    private static func fnv1a(_ client: String, _ serverID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in client.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash = (hash ^ 0xff) &* 0x0000_0100_0000_01b3
        for byte in serverID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
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
