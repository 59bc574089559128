import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Kept-alive HTTP/1.1 connections from one listener to its backends, reused across requests.
///
/// Connections are kept per event loop, so a request and its backend connection always share a loop and the
/// proxy never hops threads. At most ``maximumIdlePerBackend`` idle connections are kept per backend and loop.
/// Thread-safe.
final class BackendConnectionPool: Sendable {
    /// A backend's address.
    struct Address: Hashable, Sendable {
        var host: String
        var port: Int
    }

    /// A connection handed out for one request.
    struct Connection {
        var channel: any Channel
        /// Whether it served an earlier request (and so may have been closed by the backend meanwhile).
        var reused: Bool
    }

    private struct Key: Hashable {
        var eventLoop: ObjectIdentifier
        var address: Address
    }

    static let maximumIdlePerBackend = 16
    static let connectTimeout = TimeAmount.seconds(5)

    private struct Idle {
        var channels: [Key: [any Channel]] = [:]
        var isClosed = false
    }

    private let idle = Mutex(Idle())
    private let bandwidth: TokenBucket

    init(bandwidth: TokenBucket) {
        self.bandwidth = bandwidth
    }

    /// An idle connection to `address` on `eventLoop` (unless `fresh`), or a new one.
    func acquire(_ address: Address, on eventLoop: any EventLoop, fresh: Bool = false) -> EventLoopFuture<Connection> {
        let key = Key(eventLoop: ObjectIdentifier(eventLoop), address: address)
        while !fresh, let channel = self.idle.withLock({ $0.channels[key]?.popLast() }) {
            if channel.isActive { return eventLoop.makeSucceededFuture(Connection(channel: channel, reused: true)) }
        }
        let bandwidth = self.bandwidth
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(Self.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(BandwidthLimitHandler(bucket: bandwidth))
                    try sync.addHTTPClientHandlers()
                    try sync.addHandler(BackendResponseHandler())
                }
            }
            .connect(host: address.host, port: address.port)
            .map { channel in
                channel.closeFuture.whenComplete { _ in self.forget(channel, key: key) }
                return Connection(channel: channel, reused: false)
            }
    }

    /// Returns a connection whose last response completed cleanly; closes it when the pool is full.
    func release(_ channel: any Channel, to address: Address) {
        guard channel.isActive else { return }
        let key = Key(eventLoop: ObjectIdentifier(channel.eventLoop), address: address)
        let kept = self.idle.withLock { idle in
            guard !idle.isClosed, idle.channels[key, default: []].count < Self.maximumIdlePerBackend else {
                return false
            }
            idle.channels[key, default: []].append(channel)
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    /// Closes idle connections to backends not in `addresses` (removed from the listener).
    func retain(_ addresses: Set<Address>) {
        let dropped = self.idle.withLock { idle in
            let gone = idle.channels.filter { !addresses.contains($0.key.address) }
            for key in gone.keys { idle.channels[key] = nil }
            return gone.values.flatMap { $0 }
        }
        for channel in dropped { channel.close(promise: nil) }
    }

    /// Closes every idle connection, and from now on every released one (the listener stopped).
    func close() {
        self.idle.withLock { $0.isClosed = true }
        self.retain([])
    }

    private func forget(_ channel: any Channel, key: Key) {
        let id = ObjectIdentifier(channel)
        self.idle.withLock { idle in
            idle.channels[key]?.removeAll { ObjectIdentifier($0) == id }
        }
    }
}
