import NIOCore
import NIOHTTP1

/// What a backend connection reports to the client connection it currently serves. Called on the shared event
/// loop.
protocol BackendResponseReceiver: AnyObject {
    func backendReceived(_ part: HTTPClientResponsePart)
    func backendReadComplete()
    func backendClosed(_ channel: any Channel)
    func backendWritabilityChanged(isWritable: Bool)
}

/// The last handler of a pooled backend connection: passes response parts to the client connection it is
/// attached to, and nothing while it sits idle in the pool.
final class BackendResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    /// The exchange being served; nil while idle. Cleared on detach, which breaks the reference cycle.
    private var receiver: (any BackendResponseReceiver)?

    func attach(_ receiver: any BackendResponseReceiver) {
        self.receiver = receiver
    }

    func detach() {
        self.receiver = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.receiver?.backendReceived(Self.unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.receiver?.backendReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let receiver = self.receiver
        self.receiver = nil
        receiver?.backendClosed(context.channel)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.receiver?.backendWritabilityChanged(isWritable: context.channel.isWritable)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension BackendResponseHandler: Sendable {}
