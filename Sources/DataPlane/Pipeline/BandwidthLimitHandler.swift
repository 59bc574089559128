import NIOCore

/// Slows a connection to its listener's bandwidth cap by delaying reads: every byte read takes tokens from the
/// listener's shared ``TokenBucket``, and while the bucket is in debt the next `read` waits.
///
/// Installed first on client connections (request bytes, before TLS) and on backend connections (response bytes),
/// so the cap covers both directions.
final class BandwidthLimitHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = NIOAny

    private let bucket: TokenBucket
    private var resumeAt: NIODeadline?
    private var readScheduled = false

    init(bucket: TokenBucket) {
        self.bucket = bucket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let wait = self.bucket.consume(Self.unwrapInboundIn(data).readableBytes) {
            self.resumeAt = .now() + wait
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        guard let resumeAt = self.resumeAt, resumeAt > .now() else {
            self.resumeAt = nil
            context.read()
            return
        }
        guard !self.readScheduled else { return }
        self.readScheduled = true
        context.eventLoop.assumeIsolated().scheduleTask(deadline: resumeAt) {
            self.readScheduled = false
            self.resumeAt = nil
            context.read()
        }
    }
}

@available(*, unavailable)
extension BandwidthLimitHandler: Sendable {}
