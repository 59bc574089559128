/// The TLS security policies: the five CLB system policies (research/alibaba-clb.md 9.1) and the rules for
/// custom ones (9.2), mapped onto what BoringSSL in swift-nio-ssl can do.
///
/// BoringSSL lacks DHE, `AES128-SHA256`/`AES256-SHA256`, the `*-SHA384` CBC suites and the CCM TLS 1.3 suites;
/// those names are accepted in policies (they are documented) but dropped when the data plane is configured, and
/// TLS 1.3 suites cannot be restricted (swift-nio-ssl has no setting). A policy left with no TLS 1.2-or-lower suite
/// while it enables such a version is refused, because swift-nio-ssl traps on a cipher list that matches nothing.
package enum TLSPolicies {
    /// OpenSSL names BoringSSL supports for TLS 1.0-1.2 (swift-stack.md appendix C).
    package static let supportedCiphers: Set<String> = [
        "DES-CBC3-SHA", "AES128-SHA", "AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA",
        "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES128-SHA256",
        "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    ]

    /// The documented suites per version (9.2), which custom policies may name.
    static let tls10And11 = ["ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
                             "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA"]
    static let tls12Only = ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA256",
                            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                            "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384", "AES128-GCM-SHA256", "AES256-GCM-SHA384",
                            "AES128-SHA256", "AES256-SHA256"]
    static let tls13 = ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                        "TLS_AES_128_CCM_SHA256", "TLS_AES_128_CCM_8_SHA256"]

    /// The ciphers a version may use in a custom policy.
    static func documented(for version: TLSPolicy.Version) -> Set<String> {
        switch version {
        case .tls10, .tls11: Set(Self.tls10And11)
        case .tls12: Set(Self.tls10And11 + Self.tls12Only)
        case .tls13: Set(Self.tls13)
        }
    }

    private static let classic = [
        "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384",
        "AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256", "AES256-SHA256", "ECDHE-RSA-AES128-SHA",
        "ECDHE-RSA-AES256-SHA", "AES128-SHA", "AES256-SHA", "DES-CBC3-SHA",
    ]

    /// The suites of the ELB `tls-1-0` family (research/huawei-elb.md 2.3), ECC first.
    private static let elbClassic = [
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES128-GCM-SHA256", "AES128-GCM-SHA256", "AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA256",
        "ECDHE-RSA-AES128-SHA256", "AES128-SHA256", "AES256-SHA256", "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA", "AES128-SHA", "AES256-SHA",
    ]
    private static let elbStrict = Array(Self.elbClassic.prefix(12))
    private static let elbForwardSecret = Self.elbStrict.filter { $0.hasPrefix("ECDHE-") }
    private static let elbNoCBC = Self.elbStrict.filter { $0.hasPrefix("ECDHE-") && $0.contains("GCM") }

    /// The ELB system policies in the order `system-security-policies` lists them. `hybrid-policy-1-0` names the
    /// SM suites, which BoringSSL does not have: they are listed but never offered.
    package static let elbSystemPolicyNames = [
        "tls-1-0-inherit", "tls-1-0", "tls-1-1", "tls-1-2", "tls-1-2-strict", "tls-1-2-fs", "tls-1-0-with-1-3",
        "tls-1-2-fs-with-1-3", "hybrid-policy-1-0", "tls-1-2-strict-no-cbc",
    ]

    /// The default policy of ELB HTTPS listeners.
    package static let elbDefaultPolicy = "tls-1-2"

    /// The system policies by name (CLB `tls_cipher_policy_*`, ELB `tls-*`), with their documented versions and suites.
    package static let system: [String: (versions: [TLSPolicy.Version], ciphers: [String])] = [
        "tls-1-0-inherit": ([.tls10, .tls11, .tls12], Self.elbClassic + [
            "DHE-RSA-AES128-GCM-SHA256", "DHE-RSA-AES256-GCM-SHA384", "DHE-RSA-AES128-SHA", "DHE-RSA-AES256-SHA",
            "CAMELLIA128-SHA", "CAMELLIA256-SHA", "DES-CBC3-SHA", "RC4-SHA",
        ]),
        "tls-1-0": ([.tls10, .tls11, .tls12], Self.elbClassic),
        "tls-1-1": ([.tls11, .tls12], Self.elbClassic),
        "tls-1-2": ([.tls12], Self.elbClassic),
        "tls-1-2-strict": ([.tls12], Self.elbStrict),
        "tls-1-2-fs": ([.tls12], Self.elbForwardSecret),
        "tls-1-0-with-1-3": ([.tls10, .tls11, .tls12, .tls13], Self.elbClassic + Self.tls13),
        "tls-1-2-fs-with-1-3": ([.tls12, .tls13], Self.elbForwardSecret + Self.tls13),
        "hybrid-policy-1-0": ([.tls11, .tls12], Self.elbClassic + ["ECC-SM4-SM3", "ECDHE-SM4-SM3"]),
        "tls-1-2-strict-no-cbc": ([.tls12], Self.elbNoCBC),
        "tls_cipher_policy_1_0": ([.tls10, .tls11, .tls12], Self.classic),
        "tls_cipher_policy_1_1": ([.tls11, .tls12], Self.classic),
        "tls_cipher_policy_1_2": ([.tls12], Self.classic),
        "tls_cipher_policy_1_2_strict": ([.tls12], [
            "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-SHA256",
            "ECDHE-RSA-AES256-SHA384", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
        ]),
        "tls_cipher_policy_1_2_strict_with_1_3": ([.tls12, .tls13], Self.tls13 + [
            "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-SHA256",
            "ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA384", "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA",
            "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
        ]),
    ]

    /// The default when a listener names no policy.
    package static let defaultPolicy = "tls_cipher_policy_1_0"

    /// The data plane's view of a policy: the version range and only the suites BoringSSL has.
    ///
    /// - Throws: ``ControlPlaneError/tlsPolicyUnsupported(_:)`` when versions up to TLS 1.2 are enabled but none of
    ///   the suites exists in BoringSSL.
    package static func compile(name: String, versions: [TLSPolicy.Version], ciphers: [String]) throws(ControlPlaneError) -> TLSPolicy {
        guard let minimum = versions.min(), let maximum = versions.max() else {
            throw .tlsPolicyUnsupported("\(name) enables no TLS version")
        }
        let usable = ciphers.filter { Self.supportedCiphers.contains($0) }
        if minimum < .tls13, usable.isEmpty {
            throw .tlsPolicyUnsupported("\(name): none of its TLS 1.0-1.2 cipher suites is available in this data plane")
        }
        return TLSPolicy(name: name, minimumVersion: minimum, maximumVersion: maximum, ciphers: usable)
    }

    /// Checks a custom policy: 1-4 known versions, 1-32 ciphers, each supported by at least one chosen version,
    /// and something the data plane can negotiate.
    package static func validateCustom(versions: [String], ciphers: [String]) throws(ControlPlaneError) -> [TLSPolicy.Version] {
        guard (1...4).contains(versions.count) else { throw .invalidParameter(name: "TLSVersions", reason: "1 to 4 versions") }
        var parsed: [TLSPolicy.Version] = []
        for version in versions {
            guard let value = TLSPolicy.Version(rawValue: version) else {
                throw .invalidParameter(name: "TLSVersions", reason: "\(version) is not TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3")
            }
            parsed.append(value)
        }
        guard (1...32).contains(ciphers.count) else { throw .invalidParameter(name: "Ciphers", reason: "1 to 32 cipher suites") }
        for cipher in ciphers where !parsed.contains(where: { Self.documented(for: $0).contains(cipher) }) {
            throw .invalidParameter(name: "Ciphers", reason: "\(cipher) is not supported by the chosen TLS versions")
        }
        _ = try Self.compile(name: "the policy", versions: parsed, ciphers: ciphers)
        return parsed
    }
}
