import NIOCore
import Synchronization

/// The open client connections of one listener, so that stopping it can drain them.
///
/// Thread-safe. Draining sends NIO's `ChannelShouldQuiesceEvent`, on which an HTTP connection closes once its
/// current response is done (and at once when idle); whatever is still open at the deadline is closed.
final class ConnectionTracker: Sendable {
    private struct Storage {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var draining = false
    }

    private let storage = Mutex(Storage())

    /// Tracks `channel` until it closes; a channel accepted while draining is told to quiesce at once.
    func insert(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        let draining = self.storage.withLock { storage in
            storage.channels[id] = channel
            return storage.draining
        }
        channel.closeFuture.whenComplete { _ in
            self.storage.withLock { _ = $0.channels.removeValue(forKey: id) }
        }
        if draining { channel.close(promise: nil) }
    }

    /// How many connections are open.
    var count: Int { self.storage.withLock { $0.channels.count } }

    /// Asks every connection to finish its current request and close; closes the rest after `gracePeriod`.
    func beginDrain(gracePeriod: TimeAmount, on eventLoop: any EventLoop) {
        let channels = self.storage.withLock { storage in
            storage.draining = true
            return Array(storage.channels.values)
        }
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        eventLoop.scheduleTask(in: gracePeriod) {
            self.closeAll()
        }
    }

    /// Waits until every connection closed, or `timeout` passed.
    func waitUntilEmpty(timeout: Duration) async {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while self.count > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Closes every connection now.
    func closeAll() {
        let channels = self.storage.withLock { Array($0.channels.values) }
        for channel in channels { channel.close(promise: nil) }
    }
}
