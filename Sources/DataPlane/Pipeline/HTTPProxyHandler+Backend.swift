import NIOCore
import NIOHTTP1

extension HTTPProxyHandler: BackendResponseReceiver {
    func backendReceived(_ part: HTTPClientResponsePart) {
        guard var exchange = self.exchange, let context = self.context else { return }
        switch part {
        case .head(let head):
            exchange.timeout?.cancel()
            exchange.timeout = nil
            exchange.responseHead = head
            let response = ProxyHeaders.clientResponse(
                head,
                requestVersion: exchange.request.version,
                keepAlive: exchange.keepAlive
            )
            exchange.keepAlive = response.keepAlive
            self.exchange = exchange
            context.write(Self.wrapOutboundOut(.head(response.head)), promise: nil)
        case .body(let buffer):
            context.write(Self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        case .end(let trailers):
            self.exchange = nil
            let reusable = exchange.requestComplete && (exchange.responseHead?.isKeepAlive ?? false)
            self.finish(exchange, reuseBackend: reusable)
            if !exchange.requestComplete {
                // The backend answered before the request body ended; drop the rest of it.
                self.discardingRequest = true
            }
            self.writeEnd(trailers, keepAlive: exchange.keepAlive, context: context)
        }
    }

    func backendReadComplete() {
        self.context?.flush()
    }

    func backendClosed(_ channel: any Channel) {
        guard var exchange = self.exchange, exchange.backendChannel === channel else { return }
        if exchange.responseHead == nil && exchange.reusedConnection && !exchange.bodySent && !exchange.retried,
            let context = self.context
        {
            // A kept-alive connection the backend closed while idle: send the request once more, on a new one.
            try? channel.pipeline.syncOperations.handler(type: BackendResponseHandler.self).detach()
            exchange.retried = true
            exchange.backendChannel = nil
            exchange.pending = [.head(exchange.forwardedHead)] + (exchange.requestComplete ? [.end(nil)] : [])
            self.exchange = exchange
            self.connect(id: exchange.id, address: exchange.backendAddress, fresh: true, on: context.eventLoop)
            return
        }
        self.exchange = nil
        self.finish(exchange, reuseBackend: false)
        if exchange.responseHead == nil {
            self.respondLocally(
                .badGateway,
                "The backend server closed the connection.\n",
                to: exchange.request,
                requestComplete: exchange.requestComplete
            )
        } else {
            // Part of the response is out; the client can only learn of the failure by the connection closing.
            self.context?.close(promise: nil)
        }
    }

    func backendWritabilityChanged(isWritable: Bool) {
        self.pauseClientReads(!isWritable)
    }
}
