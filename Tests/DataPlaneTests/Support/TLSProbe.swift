import Foundation
import GatehouseTestSupport
import NIOCore
import NIOPosix
import NIOSSL

/// Clients that report what a TLS listener did: the leaf it served, or the raw bytes it answered.
enum TLSProbe {
    struct Closed: Error {}

    /// Completes a handshake (and one HTTP request) with a NIOSSL client and returns the server's leaf.
    ///
    /// - Parameters:
    ///   - verify: Verify the chain against the test root and the name; off for a client without SNI.
    ///   - configure: Restricts the client, e.g. to RSA-only cipher suites.
    static func leaf(
        port: Int,
        serverName: String?,
        verify: Bool = true,
        configure: (inout TLSConfiguration) -> Void = { _ in }
    ) async throws -> NIOSSLCertificate {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(Fixtures.pki.path("root.crt")))
        if !verify { configuration.certificateVerification = .none }
        configure(&configuration)
        let context = try NIOSSLContext(configuration: configuration)
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: NIOSSLCertificate.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverName))
                    try sync.addHandler(LeafCapture(promise: promise, host: serverName ?? "127.0.0.1"))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(5)) { promise.fail(Closed()) }
        defer {
            timeout.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }

    /// Writes `writes` one after another, then returns what the server sends until it closes (at most 1 s).
    static func rawExchange(port: Int, _ writes: [[UInt8]], closeAfterWrite: Bool = false) async throws -> [UInt8] {
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: [UInt8].self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteCollector(promise: promise))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        for bytes in writes {
            try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
            try await Task.sleep(for: .milliseconds(20))
        }
        if closeAfterWrite { try? await channel.close(mode: .output) }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        defer { timeout.cancel() }
        return try await promise.futureResult.get()
    }

    /// The subject of the leaf `openssl s_client` gets with `arguments`.
    static func opensslSubject(port: Int, _ arguments: String) throws -> String {
        try Shell.run(
            "/bin/bash",
            [
                "-c",
                "openssl s_client -connect 127.0.0.1:\(port) \(arguments) </dev/null 2>/dev/null"
                    + " | openssl x509 -noout -subject",
            ]
        )
    }
}

/// Sends one HTTP request once the connection is up and reports the peer's leaf at the first response byte.
private final class LeafCapture: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let promise: EventLoopPromise<NIOSSLCertificate>
    private let host: String

    init(promise: EventLoopPromise<NIOSSLCertificate>, host: String) {
        self.promise = promise
        self.host = host
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = "GET / HTTP/1.1\r\nHost: \(self.host)\r\nConnection: close\r\n\r\n"
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            guard let leaf = try context.pipeline.syncOperations.nioSSL_peerCertificate() else {
                throw TLSProbe.Closed()
            }
            self.promise.succeed(leaf)
        } catch {
            self.promise.fail(error)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.promise.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.fail(TLSProbe.Closed())
    }
}

/// Collects every byte read until the connection closes.
private final class ByteCollector: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<[UInt8]>
    private var bytes: [UInt8] = []

    init(promise: EventLoopPromise<[UInt8]>) {
        self.promise = promise
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        self.bytes += Self.unwrapInboundIn(data).readableBytesView
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.promise.succeed(self.bytes)
    }
}
