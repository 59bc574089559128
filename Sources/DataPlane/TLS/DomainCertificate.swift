import Certificates
import ControlPlane
import NIOSSL

/// A domain extension ready for an ``SNICertificateSelector``: its domain, its prepared override and its leaf's
/// key type. Built off the event loops by ``TLSContextBuilder``.
struct DomainCertificate: Sendable {
    /// The key type a context prefers for a domain that has both.
    enum Preference: Sendable {
        case rsa, ecdsa
    }

    /// The domain as configured (`www.example.com`, `*.example.com`).
    var domain: String
    var override: NIOSSLContextConfigurationOverride
    /// The leaf's public key, read with the Certificates parser (which knows SM2, where NIOSSL's
    /// `extractPublicKey()` would trap); nil if that parser refuses the chain.
    var key: KeyKind?

    init(_ entry: SNICertificate, override: NIOSSLContextConfigurationOverride) {
        self.domain = entry.domain
        self.override = override
        self.key = try? CertificateBundle.read(certificates: entry.certificate.chainPEM, privateKey: nil).leaf.info.key
    }

    /// Whether the leaf's key is of the `preference` type.
    func has(_ preference: Preference) -> Bool {
        switch (preference, self.key) {
        case (.rsa, .rsa?), (.ecdsa, .ec?): true
        default: false
        }
    }

    /// `domains` with the `preference` entries moved ahead of the others, each group in its original order, so a
    /// selector (where the first entry of a domain wins) resolves a domain with both key types to `preference`.
    static func preferring(_ preference: Preference, _ domains: [DomainCertificate]) -> [DomainCertificate] {
        domains.filter { $0.has(preference) } + domains.filter { !$0.has(preference) }
    }

    /// The curves of the ECDSA certificates that domains with an RSA certificate too resolve to when ECDSA is
    /// preferred; empty when no domain has both key types, and then one context suffices.
    static func dualCurves(_ domains: [DomainCertificate]) -> Set<KeyKind.Curve> {
        var curves: [String: KeyKind.Curve] = [:]
        var hasRSA: Set<String> = []
        for entry in domains {
            let domain = SNICertificateSelector<Never>.normalize(entry.domain)
            switch entry.key {
            case .ec(let curve)?:
                if curves[domain] == nil { curves[domain] = curve }
            case .rsa?:
                hasRSA.insert(domain)
            default:
                continue
            }
        }
        return Set(curves.filter { hasRSA.contains($0.key) }.values)
    }
}
