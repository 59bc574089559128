package import NIOCore

/// Reassembles the ClientHello from the first TLS records of a connection, as the bytes arrive.
///
/// Incremental: each byte is copied and examined once however the client splits its records or its TCP
/// segments, and the body is parsed once, when complete. Input that cannot begin a TLS connection is refused at
/// the first byte that shows it (plain HTTP at the first). Loop-bound in practice (one per connection); a value
/// type with no locks.
package struct ClientHelloReader: Sendable {
    /// What the bytes so far amount to.
    package enum Outcome: Hashable, Sendable {
        /// The ClientHello is not complete yet.
        case needMoreData
        /// The ClientHello arrived and parsed.
        case complete(ClientHello)
        /// The bytes are not a ClientHello the data plane can read; later reads return the same outcome.
        case unreadable(ClientHelloError)
    }

    /// The largest ClientHello message read, BoringSSL's own limit for a server's first message (without mTLS).
    package static let maximumMessageLength = 16_384
    /// The most bytes taken in before giving up, which bounds the memory a slow or hostile client can pin.
    package static let maximumBufferedBytes = 32_768

    /// Record bytes received but not yet a whole record.
    private var records = ByteBuffer()
    /// The handshake bytes of the whole records so far.
    private var message = ByteBuffer()
    private var received = 0
    private var outcome = Outcome.needMoreData

    package init() {}

    /// Takes the next bytes read from the connection and says whether the ClientHello is complete.
    package mutating func read(_ bytes: ByteBuffer) -> Outcome {
        guard case .needMoreData = self.outcome else { return self.outcome }
        self.received += bytes.readableBytes
        self.records.writeImmutableBuffer(bytes)
        do {
            self.outcome = try self.advance()
        } catch {
            self.outcome = .unreadable(error)
        }
        if case .needMoreData = self.outcome, self.received > Self.maximumBufferedBytes {
            self.outcome = .unreadable(.tooLarge(bytes: self.received))
        }
        if case .needMoreData = self.outcome {
            self.records.discardReadBytes()
        } else {
            self.records = ByteBuffer()
            self.message = ByteBuffer()
        }
        return self.outcome
    }

    /// Moves whole records into `message` until the ClientHello is complete or the bytes run out.
    private mutating func advance() throws(ClientHelloError) -> Outcome {
        while true {
            let start = self.records.readerIndex
            // Content type and major version, checked as soon as they arrive.
            if let type = self.records.getInteger(at: start, as: UInt8.self), type != 22 {
                throw .notHandshakeRecord
            }
            if let major = self.records.getInteger(at: start + 1, as: UInt8.self), major != 3 {
                throw .notHandshakeRecord
            }
            guard let length = self.records.getInteger(at: start + 3, as: UInt16.self).map(Int.init) else {
                return .needMoreData
            }
            guard (1...16_384).contains(length) else { throw .badRecordLength(length) }
            guard self.records.readableBytes >= 5 + length else { return .needMoreData }
            self.records.moveReaderIndex(forwardBy: 5)
            var fragment = self.records.readSlice(length: length)!  // length checked above
            self.message.writeBuffer(&fragment)
            if let hello = try self.completeMessage() { return .complete(hello) }
        }
    }

    /// The ClientHello once `message` holds all of it; checks the type and length as soon as they arrive.
    private func completeMessage() throws(ClientHelloError) -> ClientHello? {
        let start = self.message.readerIndex
        if let type = self.message.getInteger(at: start, as: UInt8.self), type != 1 {
            throw .notClientHello(type: type)
        }
        guard let header = self.message.getInteger(at: start, as: UInt32.self) else { return nil }
        let length = Int(header & 0x00FF_FFFF)
        guard length <= Self.maximumMessageLength else { throw .tooLarge(bytes: length) }
        guard let body = self.message.getSlice(at: start + 4, length: length) else { return nil }
        return try ClientHello(body: body)
    }
}
