import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A small HTTP/1.1 server on a loopback address that answers with its own name.
///
/// `GET /headers` echoes the request headers (`name: value` lines, names lowercased, sorted); `/health` answers
/// 200 or 500 depending on ``isHealthy``; `/slow` waits 2.5 s first; `/idle-close` closes the kept-alive connection 200 ms later; anything else answers the name.
final class TestBackend: Sendable {
    let name: String
    let ip: String
    let port: Int
    private let channel: any Channel
    private let healthy = Mutex(true)
    private let seen = Mutex<[String]>([])

    /// The URIs of the requests received so far.
    var requests: [String] { self.seen.withLock { $0 } }

    var isHealthy: Bool {
        get { self.healthy.withLock { $0 } }
        set { self.healthy.withLock { $0 = newValue } }
    }

    private init(name: String, ip: String, port: Int, channel: any Channel) {
        self.name = name
        self.ip = ip
        self.port = port
        self.channel = channel
    }

    /// Starts one backend per name, on 127.0.0.2, 127.0.0.3, ... and one common port (a listener has one
    /// backend port).
    static func start(_ names: [String]) async throws -> [TestBackend] {
        var lastError: (any Error)?
        for _ in 0..<10 {
            let port = try await freePort()
            var started: [TestBackend] = []
            do {
                for (index, name) in names.enumerated() {
                    started.append(try await Self.start(name: name, ip: "127.0.0.\(index + 2)", port: port))
                }
                return started
            } catch {
                lastError = error
                for backend in started { await backend.stop() }
            }
        }
        throw lastError!
    }

    private static func start(name: String, ip: String, port: Int) async throws -> TestBackend {
        let box = Mutex<TestBackend?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        TestBackendHandler(
                            name: name,
                            isHealthy: { box.withLock { $0?.isHealthy ?? true } },
                            record: { uri in box.withLock { $0?.seen.withLock { $0.append(uri) } } }
                        )
                    )
                }
            }
            .bind(host: ip, port: port).get()
        let backend = TestBackend(name: name, ip: ip, port: port, channel: channel)
        box.withLock { $0 = backend }
        return backend
    }

    func stop() async {
        try? await self.channel.close()
    }
}

/// Answers each request of a ``TestBackend`` connection.
final class TestBackendHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let name: String
    private let isHealthy: @Sendable () -> Bool
    private let record: @Sendable (String) -> Void
    private var head: HTTPRequestHead?

    init(name: String, isHealthy: @escaping @Sendable () -> Bool, record: @escaping @Sendable (String) -> Void) {
        self.name = name
        self.isHealthy = isHealthy
        self.record = record
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch Self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.record(head.uri)
        case .body:
            break
        case .end:
            guard let head = self.head else { return }
            if head.uri == "/slow" {
                context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(2500)) {
                    self.respond(head, context: context)
                }
            } else {
                self.respond(head, context: context)
            }
        }
    }

    private func respond(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        var status = HTTPResponseStatus.ok
        let body: String
        switch head.uri {
        case "/headers":
            body = head.headers.map { "\($0.name.lowercased()): \($0.value)" }.sorted().joined(separator: "\n") + "\n"
        case "/health":
            status = self.isHealthy() ? .ok : .internalServerError
            body = status == .ok ? "ok\n" : "sick\n"
        default:
            body = self.name
        }
        var headers = HTTPHeaders()
        headers.add(name: "content-length", value: String(body.utf8.count))
        headers.add(name: "content-type", value: "text/plain")
        context.write(
            Self.wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
            promise: nil
        )
        context.write(Self.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(Self.wrapOutboundOut(.end(nil)), promise: nil)
        if head.uri == "/idle-close" {
            // Like a backend with a short keep-alive timeout: the connection closes while idle.
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(200)) { context.close(promise: nil) }
        }
    }
}

@available(*, unavailable)
extension TestBackendHandler: Sendable {}

/// A TCP port that was free a moment ago on 127.0.0.1 (a snapshot cannot ask for port 0).
func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port ?? 0
    try await channel.close()
    return port
}
