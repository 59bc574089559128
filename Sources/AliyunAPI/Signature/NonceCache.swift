import Foundation
import Synchronization

/// Remembers signature nonces for the clock-skew window, so a replayed request is refused (`SignatureNonceUsed`).
///
/// In memory, per process: in cluster mode a request replayed to another node within the window is not caught.
final class NonceCache: Sendable {
    private struct State {
        var seen: [String: Date] = [:]
        var lastSweep = Date.distantPast
    }

    private let state = Mutex(State())
    let window: TimeInterval

    init(window: TimeInterval) {
        self.window = window
    }

    /// Records `nonce` for `accessKeyID`; `false` if it was already used within the window.
    func use(_ nonce: String, accessKeyID: String, now: Date = Date()) -> Bool {
        let key = accessKeyID + "\u{0}" + nonce
        return self.state.withLock { state in
            if now.timeIntervalSince(state.lastSweep) > 60 {
                state.seen = state.seen.filter { now.timeIntervalSince($0.value) < self.window * 2 }
                state.lastSweep = now
            }
            if let seen = state.seen[key], now.timeIntervalSince(seen) < self.window * 2 { return false }
            state.seen[key] = now
            return true
        }
    }
}
