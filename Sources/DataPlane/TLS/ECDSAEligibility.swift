package import Certificates
package import ControlPlane

/// Decides from a ClientHello alone whether a client can take an ECDSA certificate on a listener, for domains
/// that have both an ECDSA and an RSA certificate (Huawei ELB: "If one domain has an ECC and an RSA certificate,
/// ECC is preferred").
///
/// It repeats the checks BoringSSL makes once it holds an ECDSA key (`ssl/handshake_server.cc`,
/// `ssl/extensions.cc` in swift-nio-ssl 2.37.6), for the version the handshake will settle on:
///
/// - TLS 1.3: `signature_algorithms` lists the scheme of every curve in ``curves`` (TLS 1.3 ties the scheme to the
///   curve: `ecdsa_secp256r1_sha256` 0x0403, `ecdsa_secp384r1_sha384` 0x0503, `ecdsa_secp521r1_sha512` 0x0603).
/// - TLS 1.2 and older: the client offers one of the listener's ECDHE-ECDSA suites and lists every curve in
///   `supported_groups`; for TLS 1.2, a `signature_algorithms` extension, when sent, also names an ECDSA scheme.
///
/// Asking for every curve (not just the one of the certificate the name will select) keeps the decision
/// independent of SNI: a client that fails it gets RSA, which every such domain has. Pure; costs a few set
/// lookups.
package struct ECDSAEligibility: Hashable, Sendable {
    /// The listener's version range, as wire values (`0x0301` TLS 1.0 ... `0x0304` TLS 1.3).
    package var versions: ClosedRange<UInt16>
    /// The ECDHE-ECDSA suites the listener's policy enables for TLS 1.2 and older.
    package var cipherSuites: Set<UInt16>
    /// The curves of the ECDSA certificates that may be served instead of an RSA one.
    package var curves: Set<KeyKind.Curve>

    package init(versions: ClosedRange<UInt16>, cipherSuites: Set<UInt16>, curves: Set<KeyKind.Curve>) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.curves = curves
    }

    /// The rule for a listener with `policy` whose dual-certificate domains use `curves`.
    package init(policy: TLSPolicy, curves: Set<KeyKind.Curve>) {
        self.versions = Self.wireVersion(policy.minimumVersion)...Self.wireVersion(policy.maximumVersion)
        let names = policy.minimumVersion <= .tls12 ? CipherSuiteTable.usable(policy.ciphers) : []
        self.cipherSuites = Set(names.compactMap { CipherSuiteTable.ecdsaCodePoints[$0] })
        self.curves = curves
    }

    /// Whether the handshake `hello` starts can be completed with an ECDSA certificate on every curve of ``curves``.
    package func admits(_ hello: ClientHello) -> Bool {
        guard let version = self.negotiatedVersion(hello) else { return false }
        if version >= 0x0304 {
            guard let schemes = hello.signatureAlgorithms else { return false }
            return self.curves.allSatisfy { schemes.contains(Self.tls13Scheme($0)) }
        }
        guard hello.cipherSuites.contains(where: self.cipherSuites.contains) else { return false }
        guard let groups = hello.supportedGroups, self.curves.allSatisfy({ groups.contains(Self.group($0)) }) else {
            return false
        }
        if version == 0x0303, let schemes = hello.signatureAlgorithms {
            // TLS 1.2 does not tie the scheme to the curve; ecdsa_sha1 (0x0203) is still allowed there.
            return schemes.contains { [0x0203, 0x0403, 0x0503, 0x0603].contains($0) }
        }
        return true
    }

    /// The highest version both sides allow, as BoringSSL picks it: from `supported_versions` when sent, else
    /// every version up to `legacy_version`; nil when there is none (the handshake fails either way).
    package func negotiatedVersion(_ hello: ClientHello) -> UInt16? {
        if let offered = hello.supportedVersions {
            return offered.filter { self.versions.contains($0) }.max()
        }
        let version = min(hello.legacyVersion, self.versions.upperBound)
        return self.versions.contains(version) ? version : nil
    }

    private static func wireVersion(_ version: TLSPolicy.Version) -> UInt16 {
        switch version {
        case .tls10: 0x0301
        case .tls11: 0x0302
        case .tls12: 0x0303
        case .tls13: 0x0304
        }
    }

    private static func tls13Scheme(_ curve: KeyKind.Curve) -> UInt16 {
        switch curve {
        case .p256: 0x0403
        case .p384: 0x0503
        case .p521: 0x0603
        }
    }

    /// The curve's `NamedGroup` code point.
    private static func group(_ curve: KeyKind.Curve) -> UInt16 {
        switch curve {
        case .p256: 23
        case .p384: 24
        case .p521: 25
        }
    }
}
