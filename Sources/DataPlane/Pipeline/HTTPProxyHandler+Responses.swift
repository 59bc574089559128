import ControlPlane
import NIOCore
import NIOHTTP1
import NIOSSL

extension HTTPProxyHandler {
    /// Answers the client without a backend (503, 502, 504); the rest of the request body is dropped.
    func respondLocally(
        _ status: HTTPResponseStatus,
        _ message: String,
        to request: HTTPRequestHead,
        requestComplete: Bool
    ) {
        guard let context = self.context else { return }
        self.discardingRequest = !requestComplete
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "text/plain; charset=utf-8")
        headers.add(name: "content-length", value: String(message.utf8.count))
        if !keepAlive { headers.add(name: "connection", value: "close") }
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
            promise: nil
        )
        if request.method != .HEAD {
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: message)))), promise: nil)
        }
        self.writeEnd(nil, keepAlive: keepAlive, context: context)
    }

    /// Writes the response end; closes the connection afterwards unless it is kept alive.
    func writeEnd(_ trailers: HTTPHeaders?, keepAlive: Bool, context: ChannelHandlerContext) {
        let written = context.writeAndFlush(Self.wrapOutboundOut(.end(trailers)))
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func forwardingContext(_ listener: CompiledListener, context: ChannelHandlerContext) -> ForwardingContext {
        let remote = context.channel.remoteAddress
        return ForwardingContext(
            switches: listener.snapshot.forwardedHeaders,
            scheme: self.scheme,
            clientIP: remote?.ipAddress,
            clientPort: remote?.port,
            listenerAddress: listener.snapshot.address,
            listenerPort: listener.snapshot.port,
            loadBalancerID: listener.snapshot.loadBalancerID,
            clientCertificate: listener.isMutualTLS ? self.peerCertificate(context) : nil
        )
    }

    /// The client certificate of this connection, read once from the TLS handler.
    func peerCertificate(_ context: ChannelHandlerContext) -> ClientCertificateDetails? {
        if let cached = self.clientCertificate { return cached }
        let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
        let details = certificate.flatMap { try? ClientCertificateDetails($0) }
        self.clientCertificate = .some(details)
        return details
    }
}
