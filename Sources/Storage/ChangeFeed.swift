import Synchronization

/// Tells subscribers that the configuration changed: after every committed write in this process, and, on
/// PostgreSQL, after every write any node commits (LISTEN/NOTIFY). A signal carries no data: subscribers re-read
/// the revision, so coalesced or lost signals cost nothing but a little delay.
final class ChangeFeed: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Void>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)

    /// A new stream of change signals; it buffers at most one pending signal.
    func subscribe() -> AsyncStream<Void> {
        let id = self.nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        self.subscribers.withLock { $0[id] = continuation }
        return stream
    }

    /// Wakes every subscriber.
    func signal() {
        for continuation in self.subscribers.withLock({ Array($0.values) }) { continuation.yield() }
    }

    /// Ends every stream (the store is closing).
    func finish() {
        for continuation in self.subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}
