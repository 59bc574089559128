import Logging
import NIOCore
import NIOSSL

/// Holds a connection's first bytes until its ClientHello is complete, then starts TLS with the context that
/// ClientHello calls for (``ListenerTLSContexts/context(for:)``) and steps aside.
///
/// Installed by ``ListenerPipeline`` where `NIOSSLServerHandler` would go, only on listeners that have an
/// ECDSA-preferring context. When ``ClientHelloReader`` has the whole ClientHello, the handler inserts a
/// `NIOSSLServerHandler` right after itself, passes it every byte read so far, unchanged and in one read, and
/// removes itself; after that it costs nothing. Input that is not a readable ClientHello (plain HTTP, garbage, a
/// ClientHello over the reader's limits) goes the same way to the standard context, so BoringSSL refuses it just
/// as on a listener without the peek. A client that stalls mid-ClientHello is closed by the idle timer, as one
/// that stalls mid-handshake is. All methods run on the channel's event loop.
final class ClientHelloPeekHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let contexts: ListenerTLSContexts
    private let logger: Logger
    private var reader = ClientHelloReader()
    /// Every byte read so far, for the TLS handler.
    private var buffered: ByteBuffer?
    /// Set once the TLS handler is in place; reads that still reach this handler pass through.
    private var tlsStarted = false

    init(contexts: ListenerTLSContexts, logger: Logger) {
        self.contexts = contexts
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !self.tlsStarted else {
            context.fireChannelRead(data)
            return
        }
        let bytes = Self.unwrapInboundIn(data)
        self.buffered.setOrWriteImmutableBuffer(bytes)
        switch self.reader.read(bytes) {
        case .needMoreData:
            return
        case .complete(let hello):
            self.startTLS(context: context, hello: hello)
        case .unreadable(let error):
            self.logger.debug("Unreadable ClientHello; using the standard TLS context", metadata: ["error": "\(error)"])
            self.startTLS(context: context, hello: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.buffered = nil
    }

    private func startTLS(context: ChannelHandlerContext, hello: ClientHello?) {
        self.tlsStarted = true
        let tlsContext = self.contexts.context(for: hello)
        self.logger.trace(
            "TLS context chosen from the ClientHello",
            metadata: [
                "tls.sni": "\(hello?.serverName ?? "-")",
                "tls.context": "\(tlsContext === self.contexts.standard ? "standard" : "ecdsa-preferring")",
            ]
        )
        do {
            try context.pipeline.syncOperations.addHandler(
                NIOSSLServerHandler(context: tlsContext),
                position: .after(self)
            )
        } catch {
            context.fireErrorCaught(error)
            context.close(promise: nil)
            return
        }
        if let buffered = self.buffered {
            self.buffered = nil
            context.fireChannelRead(Self.wrapInboundOut(buffered))
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }
}

@available(*, unavailable)
extension ClientHelloPeekHandler: Sendable {}
