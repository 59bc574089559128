import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Answers requests the HTTP parser rejects (a request line or headers over the limit, malformed HTTP) with a
/// JSON error instead of Hummingbird's empty 400, because the Alibaba SDK raises an opaque JSON-parse error on
/// anything else. The body carries the keys of both dialects (`Code`/`Message` and `error_code`/`error_msg`),
/// since the path, and so the dialect, is unknown when parsing failed.
///
/// All methods run on the channel's event loop.
final class ParserErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Whether a response head has gone out on this connection; then nothing more can be sent.
    private var responseStarted = false
    private var answered = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = self.unwrapOutboundIn(data) { self.responseStarted = true }
        context.write(data, promise: promise)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError, !self.responseStarted, !self.answered else {
            context.fireErrorCaught(error)
            return
        }
        self.answered = true
        let (status, code, message): (HTTPResponse.Status, String, String) =
            switch parserError {
            case .headerOverflow:
                (.uriTooLong, "InvalidParameterLength", "The request line and headers must not exceed 80 KB together.")
            default:
                (.badRequest, "InvalidParameter", "The request is not valid HTTP/1.1 (\(parserError)).")
            }
        let id = Self.requestID()
        let body = #"{"RequestId":"\#(id)","HostId":"","Code":"\#(code)","Message":"\#(message)","error_code":"\#(code)","error_msg":"\#(message)","request_id":"\#(id)"}"#
        var head = HTTPResponse(status: status)
        head.headerFields[.contentType] = "application/json;charset=utf-8"
        head.headerFields[.contentLength] = String(body.utf8.count)
        head.headerFields[.connection] = "close"
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(self.wrapOutboundOut(.body(ByteBuffer(string: body))), promise: nil)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    private static func requestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<32).map { _ in String(UInt8.random(in: 0..<16, using: &generator), radix: 16, uppercase: true) }
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { hex[$0].joined() }.joined(separator: "-")
    }
}

@available(*, unavailable)
extension ParserErrorResponder: Sendable {}
