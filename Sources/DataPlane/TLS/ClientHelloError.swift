/// Why the bytes at the start of a connection are not a ClientHello the data plane could read.
///
/// Never fatal: the connection is then handed to the listener's standard TLS context, and BoringSSL answers the
/// input as it would without the peek (usually with an alert).
package enum ClientHelloError: Error, Hashable, Sendable {
    /// The first record is not a TLS handshake record (content type 22, major version 3), e.g. plain HTTP.
    case notHandshakeRecord
    /// A record is empty or longer than TLS allows (2^14 bytes of plaintext).
    case badRecordLength(Int)
    /// The first handshake message is not a ClientHello; carries its type.
    case notClientHello(type: UInt8)
    /// The ClientHello (or the bytes buffered while waiting for it) exceeds the limit; carries the size seen.
    case tooLarge(bytes: Int)
    /// A length field runs past the end of the message.
    case truncated
    /// A field's contents are impossible; carries the field's RFC name.
    case malformed(String)
}
