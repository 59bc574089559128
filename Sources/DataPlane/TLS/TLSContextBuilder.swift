import Certificates
import ControlPlane
import Logging
import NIOCore
import NIOSSL

/// Builds a listener's `NIOSSLContext`s from its ``TLSSnapshot``.
///
/// Parses every PEM once, up front: the default identity goes into the configuration, and each domain
/// extension becomes a prepared override in an ``SNICertificateSelector`` (matching as the snapshot's
/// `sniMatch` says) that `sslContextCallback` only looks up. When some domain has both an ECDSA and an RSA
/// certificate, it builds a second, ECDSA-preferring context (see ``ListenerTLSContexts``). Blocking work
/// (parsing, key checks, trust roots), so call it off the event loops, as `NIOSSLContext`'s documentation asks.
enum TLSContextBuilder {
    /// The ALPN protocols offered. h2 is not served yet, even when the listener enables HTTP/2.
    static let applicationProtocols = ["http/1.1"]

    /// - Parameter logger: Gets a `trace` entry per handshake with the requested name (`tls.sni`).
    static func makeContexts(
        _ tls: TLSSnapshot,
        logger: Logger
    ) throws(TLSConfigurationError) -> ListenerTLSContexts {
        let configuration = try Self.configuration(tls)
        let domains = try Self.prepare(tls.sniCertificates)
        let curves = DomainCertificate.dualCurves(domains)
        let standard = try Self.makeContext(
            configuration,
            domains: DomainCertificate.preferring(.rsa, domains),
            tls: tls,
            logger: logger
        )
        guard !curves.isEmpty else { return ListenerTLSContexts(standard: standard) }
        let ecdsa = try Self.makeContext(
            configuration,
            domains: DomainCertificate.preferring(.ecdsa, domains),
            tls: tls,
            logger: logger
        )
        return ListenerTLSContexts(
            standard: standard,
            ecdsaPreferring: .init(context: ecdsa, eligibility: ECDSAEligibility(policy: tls.policy, curves: curves))
        )
    }

    /// Everything but the SNI callback: default identity, versions, ciphers, ALPN, client CAs.
    private static func configuration(_ tls: TLSSnapshot) throws(TLSConfigurationError) -> TLSConfiguration {
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
        return configuration
    }

    /// A context whose `sslContextCallback` picks among `domains` (first entry per domain wins).
    private static func makeContext(
        _ configuration: TLSConfiguration,
        domains: [DomainCertificate],
        tls: TLSSnapshot,
        logger: Logger
    ) throws(TLSConfigurationError) -> NIOSSLContext {
        var configuration = configuration
        let selector = SNICertificateSelector(domains.map { ($0.domain, $0.override) }, matching: tls.sniMatch)
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
    private static func prepare(_ entries: [SNICertificate]) throws(TLSConfigurationError) -> [DomainCertificate] {
        var prepared: [DomainCertificate] = []
        for entry in entries {
            do {
                let identity = try ServingIdentity(entry.certificate)
                _ = try NIOSSLContext(
                    configuration: .makeServerConfiguration(certificateChain: identity.chain, privateKey: identity.key)
                )
                prepared.append(DomainCertificate(entry, override: identity.override))
            } catch {
                throw .sniCertificateUnusable(domain: entry.domain, certificateID: entry.certificate.id)
            }
        }
        return prepared
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
