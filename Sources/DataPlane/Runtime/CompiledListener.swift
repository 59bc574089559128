import ControlPlane
import Logging
import NIOSSL

/// One listener's configuration as the connections read it: the snapshot values plus what was built from them.
///
/// Immutable; a change builds a new value, which ``ListenerHandle`` publishes in one step. Connections take the
/// value current when they start (TLS context, idle timeout) or when a request starts (backends, headers,
/// request timeout).
struct CompiledListener: Sendable {
    var snapshot: ListenerSnapshot
    /// The TLS context for new handshakes; set exactly for `.https`.
    var tlsContext: NIOSSLContext?

    /// Whether clients must present a certificate.
    var isMutualTLS: Bool { self.snapshot.tls?.clientCAPEM != nil }

    /// Builds the listener's state, reusing `previous`'s TLS context when the TLS settings did not change, so
    /// a backend-only change keeps sessions resumable.
    ///
    /// Blocking when TLS changes; call it off the event loops.
    static func compile(
        _ snapshot: ListenerSnapshot,
        previous: CompiledListener?,
        logger: Logger
    ) throws(TLSConfigurationError) -> CompiledListener {
        guard snapshot.protocol == .https else {
            return CompiledListener(snapshot: snapshot, tlsContext: nil)
        }
        guard let tls = snapshot.tls else { throw .missingTLSSettings }
        if let previous, previous.snapshot.tls == tls, let context = previous.tlsContext {
            return CompiledListener(snapshot: snapshot, tlsContext: context)
        }
        return CompiledListener(snapshot: snapshot, tlsContext: try TLSContextBuilder.makeContext(tls, logger: logger))
    }
}
