import ControlPlane
import Logging
import NIOCore
import NIOPosix

/// Starts a TCP listener's connection: picks a backend, connects on the client's event loop, then glues the
/// two channels. Until then the client is not read; if no backend is healthy or the connect fails, the client
/// connection is closed.
enum TCPRelay {
    struct NoBackendAvailable: Error {}

    /// Called from the child channel initializer, on `channel`'s event loop.
    static func start(_ channel: any Channel, handle: ListenerHandle, listener: CompiledListener) throws {
        guard let backend = handle.pickBackend(listener, client: channel.remoteAddress?.ipAddress) else { throw NoBackendAvailable() }
        try channel.syncOptions?.setOption(.autoRead, value: false)
        try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
        handle.scheduler.begin(backend.serverID)
        channel.closeFuture.whenComplete { _ in handle.scheduler.end(backend.serverID) }
        let bandwidth = handle.bandwidth
        ClientBootstrap(group: channel.eventLoop)
            .connectTimeout(BackendConnectionPool.connectTimeout)
            .channelOption(.autoRead, value: false)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelInitializer { backendChannel in
                backendChannel.eventLoop.makeCompletedFuture {
                    try backendChannel.pipeline.syncOperations.addHandler(BandwidthLimitHandler(bucket: bandwidth))
                }
            }
            .connect(host: backend.ip, port: backend.port)
            .assumeIsolated()
            .whenComplete { result in
                switch result {
                case .success(let backendChannel):
                    let (clientGlue, backendGlue) = GlueHandler.matchedPair()
                    do {
                        try channel.pipeline.syncOperations.addHandler(clientGlue)
                        try backendChannel.pipeline.syncOperations.addHandler(backendGlue)
                        try channel.syncOptions?.setOption(.autoRead, value: true)
                        try backendChannel.syncOptions?.setOption(.autoRead, value: true)
                    } catch {
                        // The client left meanwhile (its pipeline refuses handlers once closed).
                        channel.close(promise: nil)
                        backendChannel.close(promise: nil)
                    }
                case .failure(let error):
                    handle.logger.debug(
                        "Backend connect failed",
                        metadata: [
                            "backend.address": "\(backend.ip):\(backend.port)", "error": "\(error)",
                        ]
                    )
                    channel.close(promise: nil)
                }
            }
    }
}
