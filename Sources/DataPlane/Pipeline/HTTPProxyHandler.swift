import ControlPlane
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// Proxies the HTTP/1.1 requests of one client connection to the listener's backends, one at a time
/// (`HTTPServerPipelineHandler` holds pipelined requests back).
///
/// Per request it takes the listener's configuration current at that moment, picks a backend, borrows a pooled
/// connection on this event loop and streams both bodies through, reading from one side only while the other can
/// write. Answers 503 when no backend is eligible, 502 when the backend cannot be reached or drops the
/// connection, 504 when no response head arrives within `requestTimeoutSeconds`. Closes the connection when it
/// has been idle for the idle timeout. All methods run on the channel's event loop.
final class HTTPProxyHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Request bytes buffered while connecting before the client stops being read.
    static let maximumPendingBytes = 256 * 1024

    let handle: ListenerHandle
    let scheme: String
    var context: ChannelHandlerContext?
    var exchange: ProxyExchange?
    /// Set after an early response: the rest of the current request is read and dropped.
    var discardingRequest = false
    private var lastExchangeID = 0
    /// The client certificate's details, once read (mTLS listeners).
    var clientCertificate: ClientCertificateDetails??
    /// Backpressure: while set, the client is not read (the backend cannot take more, or too much is buffered).
    private var readsPaused = false
    private var readPending = false

    init(handle: ListenerHandle, scheme: String) {
        self.handle = handle
        self.scheme = scheme
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.startExchange(head, context: context)
        case .body(let buffer):
            guard !self.discardingRequest else { return }
            self.forward(.body(.byteBuffer(buffer)), bytes: buffer.readableBytes, context: context)
        case .end(let trailers):
            guard !self.discardingRequest else {
                self.discardingRequest = false
                return
            }
            self.exchange?.requestComplete = true
            self.forward(.end(trailers), bytes: 0, context: context)
            self.exchange?.backendChannel?.flush()
        }
    }

    func read(context: ChannelHandlerContext) {
        if self.readsPaused {
            self.readPending = true
        } else {
            context.read()
        }
    }

    /// Stops or resumes reading from the client (reads go through ``read(context:)``, so the bandwidth limiter
    /// in front still sees them).
    func pauseClientReads(_ paused: Bool) {
        self.readsPaused = paused
        if !paused && self.readPending {
            self.readPending = false
            self.context?.read()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.exchange?.backendChannel?.flush()
        context.fireChannelReadComplete()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if let channel = self.exchange?.backendChannel {
            try? channel.pipeline.syncOperations.handler(type: BackendResponseHandler.self)
                .pauseReads(!context.channel.isWritable)
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exchange = self.exchange {
            self.exchange = nil
            self.finish(exchange, reuseBackend: false)
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            if self.exchange == nil { context.close(promise: nil) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.handle.logger.debug("Client connection failed", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func startExchange(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        guard self.exchange == nil else {
            // HTTPServerPipelineHandler delivers one request at a time; anything else means a confused stream.
            context.close(promise: nil)
            return
        }
        guard let listener = self.handle.current, let backend = self.handle.pickBackend(listener, client: context.channel.remoteAddress?.ipAddress)
        else {
            self.respondLocally(
                .serviceUnavailable,
                "No healthy backend server is available.\n",
                to: head,
                requestComplete: false
            )
            return
        }
        if head.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
            context.writeAndFlush(
                Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .continue))),
                promise: nil
            )
        }
        let forwarded = ProxyHeaders.backendRequest(head, context: self.forwardingContext(listener, context: context))
        self.lastExchangeID += 1
        let id = self.lastExchangeID
        let address = BackendConnectionPool.Address(host: backend.ip, port: backend.port)
        var exchange = ProxyExchange(
            id: id,
            backend: backend,
            backendAddress: address,
            request: head,
            keepAlive: head.isKeepAlive,
            forwardedHead: forwarded,
            pending: [.head(forwarded)]
        )
        exchange.timeout = context.eventLoop.assumeIsolated().scheduleTask(
            in: .seconds(Int64(max(listener.snapshot.requestTimeoutSeconds, 1)))
        ) {
            self.requestTimedOut(id)
        }
        self.exchange = exchange
        self.handle.scheduler.begin(backend.serverID)
        self.connect(id: id, address: address, fresh: false, on: context.eventLoop)
    }

    func connect(id: Int, address: BackendConnectionPool.Address, fresh: Bool, on eventLoop: any EventLoop) {
        self.handle.pool.acquire(address, on: eventLoop, fresh: fresh).assumeIsolated().whenComplete { result in
            self.backendConnected(result, exchangeID: id, address: address)
        }
    }

    private func forward(_ part: HTTPClientRequestPart, bytes: Int, context: ChannelHandlerContext) {
        guard var exchange = self.exchange else { return }
        if case .body = part { exchange.bodySent = true }
        if let channel = exchange.backendChannel {
            self.exchange?.bodySent = exchange.bodySent
            channel.write(part, promise: nil)
            return
        }
        exchange.pending.append(part)
        exchange.pendingBytes += bytes
        self.exchange = exchange
        if exchange.pendingBytes > Self.maximumPendingBytes {
            self.pauseClientReads(true)
        }
    }

    private func backendConnected(
        _ result: Result<BackendConnectionPool.Connection, any Error>,
        exchangeID: Int,
        address: BackendConnectionPool.Address
    ) {
        guard var exchange = self.exchange, exchange.id == exchangeID, let context = self.context else {
            // The client left or the request timed out meanwhile; the unused connection can serve others.
            if case .success(let connection) = result { self.handle.pool.release(connection.channel, to: address) }
            return
        }
        switch result {
        case .failure(let error):
            self.handle.logger.debug(
                "Backend connect failed",
                metadata: [
                    "backend.address": "\(exchange.backendAddress.host):\(exchange.backendAddress.port)",
                    "error": "\(error)",
                ]
            )
            self.exchange = nil
            self.finish(exchange, reuseBackend: false)
            self.respondLocally(
                .badGateway,
                "The backend server could not be reached.\n",
                to: exchange.request,
                requestComplete: exchange.requestComplete
            )
        case .success(let connection):
            let channel = connection.channel
            guard let responses = try? channel.pipeline.syncOperations.handler(type: BackendResponseHandler.self) else {
                channel.close(promise: nil)
                return
            }
            responses.attach(self)
            responses.pauseReads(!context.channel.isWritable)
            exchange.backendChannel = channel
            exchange.reusedConnection = connection.reused
            for part in exchange.pending { channel.write(part, promise: nil) }
            exchange.pending = []
            exchange.pendingBytes = 0
            self.exchange = exchange
            channel.flush()
            self.pauseClientReads(!channel.isWritable)
        }
    }

    private func requestTimedOut(_ exchangeID: Int) {
        guard let exchange = self.exchange, exchange.id == exchangeID, exchange.responseHead == nil else { return }
        self.exchange = nil
        self.finish(exchange, reuseBackend: false)
        self.respondLocally(
            .gatewayTimeout,
            "The backend server did not respond in time.\n",
            to: exchange.request,
            requestComplete: exchange.requestComplete
        )
    }

    /// Ends `exchange`'s use of its backend: back to the pool after a clean response, closed otherwise.
    func finish(_ exchange: ProxyExchange, reuseBackend: Bool) {
        exchange.timeout?.cancel()
        self.handle.scheduler.end(exchange.backend.serverID)
        self.pauseClientReads(false)
        guard let channel = exchange.backendChannel else { return }
        try? channel.pipeline.syncOperations.handler(type: BackendResponseHandler.self).detach()
        if reuseBackend {
            self.handle.pool.release(channel, to: exchange.backendAddress)
        } else {
            channel.close(promise: nil)
        }
    }
}

@available(*, unavailable)
extension HTTPProxyHandler: Sendable {}
