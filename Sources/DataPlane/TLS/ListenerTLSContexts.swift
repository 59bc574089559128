import NIOSSL

/// The `NIOSSLContext`s an HTTPS listener's handshakes use, and how a connection picks one.
///
/// Usually a single context. When some domain has both an ECDSA and an RSA certificate, a second context serves
/// the ECDSA ones, and ``ClientHelloPeekHandler`` reads each connection's ClientHello to choose: a client the
/// ``ECDSAEligibility`` rule admits gets the ECDSA-preferring context, any other client (or unreadable input) the
/// standard one. Both contexts hold the same default certificate, policy and client CAs; they differ only in which
/// certificate a dual domain resolves to. Each has its own session tickets, which costs nothing in practice: a
/// client offers the same capabilities each time, so it returns to the context that issued its ticket.
/// Immutable and thread-safe.
struct ListenerTLSContexts: Sendable {
    /// The ECDSA-preferring context and the rule for who gets it.
    struct ECDSAPreferring: Sendable {
        var context: NIOSSLContext
        var eligibility: ECDSAEligibility
    }

    /// Serves every client not admitted to ``ecdsaPreferring``: RSA where a domain has both key types.
    var standard: NIOSSLContext
    /// Serves ECDSA where a domain has both key types; nil when no domain has both, and then connections start
    /// TLS at once, with no peek.
    var ecdsaPreferring: ECDSAPreferring?

    /// The context for a connection whose ClientHello is `hello`; nil (unreadable input) gets the standard one.
    func context(for hello: ClientHello?) -> NIOSSLContext {
        guard let ecdsaPreferring = self.ecdsaPreferring, let hello, ecdsaPreferring.eligibility.admits(hello) else {
            return self.standard
        }
        return ecdsaPreferring.context
    }
}
