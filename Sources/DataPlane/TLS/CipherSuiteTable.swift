/// The TLS 1.0-1.2 cipher suites the BoringSSL inside swift-nio-ssl 2.37.6 has, by OpenSSL name
/// (research/swift-stack.md appendix C, from `ssl_cipher.cc`).
///
/// swift-nio-ssl traps (`precondition`) when a cipher string matches nothing, so only names from this table
/// are ever handed to it.
package enum CipherSuiteTable {
    /// Every supported OpenSSL cipher name.
    package static let supported: Set<String> = [
        "DES-CBC3-SHA", "AES128-SHA", "AES256-SHA", "AES128-GCM-SHA256", "AES256-GCM-SHA384",
        "ECDHE-ECDSA-AES128-SHA", "ECDHE-ECDSA-AES256-SHA", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA",
        "ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-RSA-CHACHA20-POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305",
    ]

    /// The IANA code points of the ECDHE-ECDSA suites among ``supported``: the TLS 1.2 and older suites an ECDSA
    /// certificate can serve.
    package static let ecdsaCodePoints: [String: UInt16] = [
        "ECDHE-ECDSA-AES128-SHA": 0xC009, "ECDHE-ECDSA-AES256-SHA": 0xC00A, "ECDHE-ECDSA-AES128-SHA256": 0xC023,
        "ECDHE-ECDSA-AES128-GCM-SHA256": 0xC02B, "ECDHE-ECDSA-AES256-GCM-SHA384": 0xC02C,
        "ECDHE-ECDSA-CHACHA20-POLY1305": 0xCCA9,
    ]

    /// The names of `ciphers` this BoringSSL knows, in the given order, without duplicates.
    package static func usable(_ ciphers: [String]) -> [String] {
        var seen = Set<String>()
        return ciphers.compactMap { name in
            let name = name.filter { !$0.isWhitespace }.uppercased()
            guard Self.supported.contains(name), seen.insert(name).inserted else { return nil }
            return name
        }
    }
}
