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
/// attached to, and nothing while it sits idle in the pool. Stops reading while the client cannot take more.
final class BackendResponseHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    private var readsPaused = false
    private var readPending = false
    private var context: ChannelHandlerContext?

    /// The exchange being served; nil while idle. Cleared on detach, which breaks the reference cycle.
    private var receiver: (any BackendResponseReceiver)?

    func attach(_ receiver: any BackendResponseReceiver) {
        self.receiver = receiver
    }

    /// Detaches the client connection; reading resumes (an idle pooled connection must notice a close).
    func detach() {
        self.receiver = nil
        self.pauseReads(false)
    }

    /// Stops or resumes reading responses (backpressure from the client connection).
    func pauseReads(_ paused: Bool) {
        self.readsPaused = paused
        if !paused && self.readPending {
            self.readPending = false
            self.context?.read()
        }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func read(context: ChannelHandlerContext) {
        if self.readsPaused {
            self.readPending = true
        } else {
            context.read()
        }
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
