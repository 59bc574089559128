import ControlPlane
import NIOCore
import NIOHTTP1
import NIOSSL

/// The one place that assembles a client connection's pipeline, from the listener's configuration current when
/// the connection is accepted.
///
/// HTTP and HTTPS: bandwidth limit, TLS (HTTPS; added by a ``ClientHelloPeekHandler`` when the listener has an
/// ECDSA-preferring context), the HTTP/1.1 server codec with pipelining assistance and protocol-error handling,
/// the idle timer, the proxy. TCP: bandwidth limit, then glue to a backend. TLS: bandwidth limit, TLS as for HTTPS,
/// then glue to a backend (the backend gets the decrypted bytes).
enum ListenerPipeline {
    /// The listener is reserved but no snapshot has named it yet: its connections are closed.
    struct NotConfigured: Error {}

    /// Called from the child channel initializer, on `channel`'s event loop; throwing closes the connection.
    static func configure(_ channel: any Channel, handle: ListenerHandle) throws {
        guard let listener = handle.current else { throw NotConfigured() }
        handle.connections.insert(channel)
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(BandwidthLimitHandler(bucket: handle.bandwidth))
        if let tls = listener.tls {
            if tls.ecdsaPreferring == nil {
                try sync.addHandler(NIOSSLServerHandler(context: tls.standard))
            } else {
                try sync.addHandler(ClientHelloPeekHandler(contexts: tls, logger: handle.logger))
            }
        }
        switch listener.snapshot.protocol {
        case .tcp, .tls:
            try TCPRelay.start(channel, handle: handle, listener: listener)
        case .http, .https:
            try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
            try sync.addHandler(
                IdleStateHandler(allTimeout: .seconds(Int64(max(listener.snapshot.idleTimeoutSeconds, 1))))
            )
            try sync.addHandler(HTTPProxyHandler(handle: handle, scheme: listener.tls == nil ? "http" : "https"))
        }
    }
}
