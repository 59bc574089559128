import ControlPlane
import Logging
import NIOCore
import NIOSSL

/// Builds a listener's `NIOSSLContext` from its ``TLSSnapshot``.
///
/// Parses every PEM once, up front: the default identity goes into the configuration, and each domain
/// extension becomes a prepared override in an ``SNICertificateSelector`` that `sslContextCallback` only looks
/// up. Blocking work (parsing, key checks, trust roots), so call it off the event loops, as `NIOSSLContext`'s
/// documentation asks.
enum TLSContextBuilder {
    /// The ALPN protocols offered. h2 is not served yet, even when the listener enables HTTP/2.
    static let applicationProtocols = ["http/1.1"]

    /// - Parameter logger: Gets a `trace` entry per handshake with the requested name (`tls.sni`).
    static func makeContext(_ tls: TLSSnapshot, logger: Logger) throws(TLSConfigurationError) -> NIOSSLContext {
        let policy = tls.policy
        guard policy.minimumVersion <= policy.maximumVersion else {
            throw .emptyVersionRange(policy: policy.name)
        }
        let identity: ServingIdentity
        do {
            identity = try ServingIdentity(tls.defaultCertificate)
        } catch {
            throw .certificateUnusable(certificateID: tls.defaultCertificate.id)
        }

        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: identity.chain,
            privateKey: identity.key
        )
        configuration.minimumTLSVersion = Self.version(policy.minimumVersion)
        configuration.maximumTLSVersion = Self.version(policy.maximumVersion)
        if policy.minimumVersion <= .tls12 {
            let ciphers = CipherSuiteTable.usable(policy.ciphers)
            guard !ciphers.isEmpty else { throw .noUsableCiphers(policy: policy.name) }
            configuration.cipherSuites = ciphers.joined(separator: ":")
        }
        configuration.applicationProtocols = Self.applicationProtocols

        if let clientCAPEM = tls.clientCAPEM {
            guard let roots = try? NIOSSLCertificate.fromPEMBytes(Array(clientCAPEM.utf8)), !roots.isEmpty else {
                throw .clientCAUnusable
            }
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(roots)
            configuration.sendCANameList = true
        }

        let selector = try Self.makeSelector(tls.sniCertificates)
        if !selector.isEmpty {
            configuration.sslContextCallback = { hello, promise in
                logger.trace("TLS client hello", metadata: ["tls.sni": "\(hello.serverHostname ?? "-")"])
                promise.succeed(selector.select(hello.serverHostname) ?? .noChanges)
            }
        }

        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .certificateUnusable(certificateID: tls.defaultCertificate.id)
        }
    }

    /// Parses every domain extension and proves its key matches its chain by building a throwaway context
    /// (about 0.1 ms each), so a bad pair is refused here rather than failing handshakes later.
    private static func makeSelector(
        _ entries: [SNICertificate]
    ) throws(TLSConfigurationError) -> SNICertificateSelector<NIOSSLContextConfigurationOverride> {
        var prepared: [(domain: String, entry: NIOSSLContextConfigurationOverride)] = []
        for entry in entries {
            do {
                let identity = try ServingIdentity(entry.certificate)
                _ = try NIOSSLContext(
                    configuration: .makeServerConfiguration(certificateChain: identity.chain, privateKey: identity.key)
                )
                prepared.append((entry.domain, identity.override))
            } catch {
                throw .sniCertificateUnusable(domain: entry.domain, certificateID: entry.certificate.id)
            }
        }
        return SNICertificateSelector(prepared)
    }

    private static func version(_ version: TLSPolicy.Version) -> TLSVersion {
        switch version {
        case .tls10: .tlsv1
        case .tls11: .tlsv11
        case .tls12: .tlsv12
        case .tls13: .tlsv13
        }
    }
}
