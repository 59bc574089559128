import NIOCore
import Synchronization

/// A listener's bandwidth cap, shared by all its connections: bytes take tokens, and a reader that drove the
/// bucket into debt waits until it is paid off.
///
/// Thread-safe. The rate can change at any time; a rate of 0 or less means unlimited.
final class TokenBucket: Sendable {
    private struct State {
        var bytesPerSecond: Double = 0
        var tokens: Double = 0
        var updated = NIODeadline.now()
    }

    private let state = Mutex(State())

    /// Sets the cap in Mbit/s (CLB `Bandwidth`); -1 or 0 removes it.
    func setRate(megabitsPerSecond: Int) {
        self.state.withLock { state in
            let rate = megabitsPerSecond > 0 ? Double(megabitsPerSecond) * 1_000_000 / 8 : 0
            guard rate != state.bytesPerSecond else { return }
            state.bytesPerSecond = rate
            state.tokens = min(state.tokens, self.burst(rate))
            state.updated = .now()
        }
    }

    /// Whether a cap is set.
    var isLimited: Bool { self.state.withLock { $0.bytesPerSecond > 0 } }

    /// Takes `bytes` tokens; returns how long the reader should wait before reading again, or nil.
    func consume(_ bytes: Int) -> TimeAmount? {
        self.state.withLock { state in
            guard state.bytesPerSecond > 0 else { return nil }
            let now = NIODeadline.now()
            let elapsed = Double((now - state.updated).nanoseconds) / 1_000_000_000
            state.tokens = min(state.tokens + elapsed * state.bytesPerSecond, self.burst(state.bytesPerSecond))
            state.updated = now
            state.tokens -= Double(bytes)
            guard state.tokens < 0 else { return nil }
            return .nanoseconds(Int64(-state.tokens / state.bytesPerSecond * 1_000_000_000))
        }
    }

    /// Up to 100 ms of traffic (at least 16 KiB) may pass at once.
    private func burst(_ rate: Double) -> Double {
        max(rate / 10, 16 * 1024)
    }
}
