/// Which key algorithms and sizes a region accepts for server certificates.
///
/// A value, not a setting baked into the validator, because the clouds differ: Alibaba CLB regions accept
/// RSA 1024/2048/4096 only (seed 003; ECDSA was allowed in 2021, research/alibaba-clb.md 5.2), Huawei ELB
/// accepts RSA, ECC and SM2 (seed 004).
package struct KeyPolicy: Hashable, Sendable, Codable {
    /// RSA modulus sizes allowed, in bits.
    package var rsaBits: Set<Int>
    /// NIST curves allowed for ECDSA.
    package var curves: Set<KeyKind.Curve>
    /// Whether SM2 keys are allowed.
    package var allowsSM2: Bool

    package init(rsaBits: Set<Int>, curves: Set<KeyKind.Curve>, allowsSM2: Bool) {
        self.rsaBits = rsaBits
        self.curves = curves
        self.allowsSM2 = allowsSM2
    }

    /// Whether a key of this kind may be uploaded.
    package func allows(_ kind: KeyKind) -> Bool {
        switch kind {
        case .rsa(let bits): self.rsaBits.contains(bits)
        case .ec(let curve): self.curves.contains(curve)
        case .sm2: self.allowsSM2
        case .ed25519, .other: false
        }
    }

    /// Seed 003 (2026): PEM RSA certificates of 1024, 2048 or 4096 bits; ECDSA is refused.
    package static let aliyunRSAOnly = KeyPolicy(rsaBits: [1024, 2048, 4096], curves: [], allowsSM2: false)
    /// The 2021 CLB rules: RSA 1024/2048/4096 and ECDSA P-256/P-384/P-521.
    package static let aliyunWithECC = KeyPolicy(
        rsaBits: [1024, 2048, 4096], curves: Set(KeyKind.Curve.allCases), allowsSM2: false)
    /// Huawei ELB: RSA 2048/3072/4096, ECDSA on the NIST curves, and SM2 for `server_sm` certificates.
    package static let huawei = KeyPolicy(
        rsaBits: [2048, 3072, 4096], curves: Set(KeyKind.Curve.allCases), allowsSM2: true)
    /// Every key type the product can describe; for inspection.
    package static let any = KeyPolicy(
        rsaBits: [1024, 2048, 3072, 4096], curves: Set(KeyKind.Curve.allCases), allowsSM2: true)
}
