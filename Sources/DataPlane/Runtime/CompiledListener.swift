import ControlPlane
import Logging
import NIOSSL

/// One listener's configuration as the connections read it: the snapshot values plus what was built from them.
///
/// Immutable; a change builds a new value, which ``ListenerHandle`` publishes in one step. Connections take the
/// value current when they start (TLS contexts, idle timeout) or when a request starts (backends, headers,
/// request timeout).
struct CompiledListener: Sendable {
    var snapshot: ListenerSnapshot
    /// The TLS contexts for new handshakes; set exactly for `.https` and `.tls`.
    var tls: ListenerTLSContexts?

    /// Whether clients must present a certificate.
    var isMutualTLS: Bool { self.snapshot.tls?.clientCAPEM != nil }

    /// Builds the listener's state, reusing `previous`'s TLS contexts when the TLS settings did not change, so
    /// a backend-only change keeps sessions resumable.
    ///
    /// Blocking when TLS changes; call it off the event loops.
    static func compile(
        _ snapshot: ListenerSnapshot,
        previous: CompiledListener?,
        logger: Logger
    ) throws(TLSConfigurationError) -> CompiledListener {
        guard snapshot.protocol.terminatesTLS else {
            return CompiledListener(snapshot: snapshot, tls: nil)
        }
        guard let tls = snapshot.tls else { throw .missingTLSSettings }
        if let previous, previous.snapshot.tls == tls, let contexts = previous.tls {
            return CompiledListener(snapshot: snapshot, tls: contexts)
        }
        return CompiledListener(snapshot: snapshot, tls: try TLSContextBuilder.makeContexts(tls, logger: logger))
    }
}
