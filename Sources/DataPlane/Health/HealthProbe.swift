import ControlPlane
import NIOCore
import NIOHTTP1
import NIOPosix

/// One health check of one backend: a TCP connect, or an HTTP/1.1 request whose status class must be allowed.
enum HealthProbe {
    /// Runs the check; true when the backend passed within `check.timeoutSeconds`.
    static func run(_ check: HealthCheckSnapshot, target: HealthTarget, group: any EventLoopGroup) async -> Bool {
        let timeout = TimeAmount.seconds(Int64(max(check.timeoutSeconds, 1)))
        let eventLoop = group.next()
        let status = eventLoop.makePromise(of: HTTPResponseStatus?.self)
        let timer = eventLoop.scheduleTask(in: timeout) {
            status.fail(ChannelError.connectTimeout(timeout))
        }
        let isHTTP = check.kind == .http
        ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard isHTTP else { return }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(HealthProbeResponseHandler(status: status))
                }
            }
            .connect(host: target.ip, port: target.port)
            .whenComplete { result in
                switch result {
                case .failure(let error):
                    status.fail(error)
                case .success(let channel) where !isHTTP:
                    status.succeed(nil)
                    channel.close(promise: nil)
                case .success(let channel):
                    var headers = HTTPHeaders()
                    headers.add(name: "host", value: check.domain ?? target.ip)
                    headers.add(name: "user-agent", value: "Gatehouse-HealthCheck")
                    headers.add(name: "connection", value: "close")
                    let head = HTTPRequestHead(
                        version: .http1_1,
                        method: HTTPMethod(rawValue: check.method.uppercased()),
                        uri: check.uri.isEmpty ? "/" : check.uri,
                        headers: headers
                    )
                    channel.write(HTTPClientRequestPart.head(head), promise: nil)
                    channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
                    status.futureResult.whenComplete { _ in channel.close(promise: nil) }
                }
            }
        defer { timer.cancel() }
        let result: HTTPResponseStatus?
        do {
            result = try await status.futureResult.get()
        } catch {
            return false
        }
        guard let result else { return true }
        return check.accepts(status: Int(result.code))
    }
}

/// Completes the probe's promise with the status of the first response head.
final class HealthProbeResponseHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let status: EventLoopPromise<HTTPResponseStatus?>

    init(status: EventLoopPromise<HTTPResponseStatus?>) {
        self.status = status
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = Self.unwrapInboundIn(data) {
            self.status.succeed(head.status)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.status.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.status.fail(error)
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension HealthProbeResponseHandler: Sendable {}
