package import NIOCore

/// The parts of a TLS ClientHello the data plane decides on before BoringSSL sees the connection: the offered
/// versions, cipher suites, groups, signature schemes and server name.
///
/// Parsed from the handshake message body (RFC 8446 section 4.1.2, RFC 5246 section 7.4.1.2) with every length
/// checked against the bytes that are there, so hostile input only ever throws. Values are kept as sent,
/// GREASE included (RFC 8701), since they never equal a real code point.
package struct ClientHello: Hashable, Sendable {
    /// `legacy_version` (`client_version` before TLS 1.3), e.g. `0x0303`.
    package var legacyVersion: UInt16
    /// The cipher suites in the client's order.
    package var cipherSuites: [UInt16]
    /// The host name from `server_name`, lowercase ASCII as sent; nil without the extension or a host name.
    package var serverName: String?
    /// `supported_versions` (TLS 1.3 clients); nil when absent.
    package var supportedVersions: [UInt16]?
    /// `supported_groups` (named curves); nil when absent.
    package var supportedGroups: [UInt16]?
    /// `signature_algorithms`; nil when absent.
    package var signatureAlgorithms: [UInt16]?

    package init(
        legacyVersion: UInt16,
        cipherSuites: [UInt16],
        serverName: String? = nil,
        supportedVersions: [UInt16]? = nil,
        supportedGroups: [UInt16]? = nil,
        signatureAlgorithms: [UInt16]? = nil
    ) {
        self.legacyVersion = legacyVersion
        self.cipherSuites = cipherSuites
        self.serverName = serverName
        self.supportedVersions = supportedVersions
        self.supportedGroups = supportedGroups
        self.signatureAlgorithms = signatureAlgorithms
    }

    /// Parses a ClientHello body: the handshake message after its 4-byte type and length header, exactly.
    ///
    /// - Throws: ``ClientHelloError`` when a length runs past the body, a list is malformed, an extension
    ///   repeats or bytes are left over.
    package init(body: ByteBuffer) throws(ClientHelloError) {
        var body = body
        self.legacyVersion = try body.readOrThrow(UInt16.self)
        try body.skipOrThrow(32)  // random
        let sessionID = try body.readVector(lengthBytes: 1)
        guard sessionID.readableBytes <= 32 else { throw .malformed("session_id") }
        self.cipherSuites = try Self.codePoints(try body.readVector(lengthBytes: 2), field: "cipher_suites")
        guard !self.cipherSuites.isEmpty else { throw .malformed("cipher_suites") }
        guard try body.readVector(lengthBytes: 1).readableBytes > 0 else { throw .malformed("compression_methods") }

        // A TLS 1.2 or older ClientHello may end here, without an extensions block.
        guard body.readableBytes > 0 else { return }
        var extensions = try body.readVector(lengthBytes: 2)
        guard body.readableBytes == 0 else { throw .malformed("trailing bytes") }
        var seen = Set<UInt16>()
        while extensions.readableBytes > 0 {
            let type = try extensions.readOrThrow(UInt16.self)
            let data = try extensions.readVector(lengthBytes: 2)
            guard seen.insert(type).inserted else { throw .malformed("repeated extension \(type)") }
            try self.read(extension: type, data)
        }
    }

    private mutating func read(extension type: UInt16, _ data: ByteBuffer) throws(ClientHelloError) {
        var data = data
        switch type {
        case 0:
            self.serverName = try Self.hostName(&data)
        case 10:
            self.supportedGroups = try Self.codePoints(try data.readVector(lengthBytes: 2), field: "supported_groups")
        case 13:
            self.signatureAlgorithms = try Self.codePoints(
                try data.readVector(lengthBytes: 2),
                field: "signature_algorithms"
            )
        case 43:
            self.supportedVersions = try Self.codePoints(
                try data.readVector(lengthBytes: 1),
                field: "supported_versions"
            )
        default:
            return
        }
        guard data.readableBytes == 0 else { throw .malformed("extension \(type) length") }
    }

    /// A list of 16-bit code points, which must fill `list` exactly.
    private static func codePoints(_ list: ByteBuffer, field: String) throws(ClientHelloError) -> [UInt16] {
        var list = list
        guard list.readableBytes % 2 == 0 else { throw .malformed(field) }
        var values: [UInt16] = []
        values.reserveCapacity(list.readableBytes / 2)
        while let value = list.readInteger(as: UInt16.self) { values.append(value) }
        return values
    }

    /// The `host_name` entry of a `server_name` extension (RFC 6066 section 3), or nil if it has none.
    private static func hostName(_ data: inout ByteBuffer) throws(ClientHelloError) -> String? {
        var list = try data.readVector(lengthBytes: 2)
        var hostName: String?
        while list.readableBytes > 0 {
            let nameType = try list.readOrThrow(UInt8.self)
            let name = try list.readVector(lengthBytes: 2)
            guard nameType == 0, hostName == nil else { continue }
            let bytes = name.readableBytesView
            guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
                throw .malformed("server_name")
            }
            hostName = String(decoding: bytes, as: UTF8.self).lowercased()
        }
        return hostName
    }
}

extension ByteBuffer {
    fileprivate mutating func readOrThrow<Value: FixedWidthInteger>(
        _ type: Value.Type
    ) throws(ClientHelloError) -> Value {
        guard let value = self.readInteger(as: Value.self) else { throw .truncated }
        return value
    }

    fileprivate mutating func skipOrThrow(_ count: Int) throws(ClientHelloError) {
        guard self.readableBytes >= count else { throw .truncated }
        self.moveReaderIndex(forwardBy: count)
    }

    /// Reads a TLS vector: a 1- or 2-byte big-endian length, then that many bytes, as a slice.
    fileprivate mutating func readVector(lengthBytes: Int) throws(ClientHelloError) -> ByteBuffer {
        let length = lengthBytes == 1 ? Int(try self.readOrThrow(UInt8.self)) : Int(try self.readOrThrow(UInt16.self))
        guard let slice = self.readSlice(length: length) else { throw .truncated }
        return slice
    }
}
