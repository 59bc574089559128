package import ControlPlane

/// Chooses the certificate for a ClientHello's server name among a listener's domain extensions.
///
/// Precedence: an exact domain, then a wildcard, else nil, meaning the listener's default certificate (also when
/// there is no SNI). How far a wildcard reaches is the listener's ``SNIMatchAlgorithm`` (ELB `sni_match_algo`):
///
/// - `.wildcard`: a wildcard covers exactly one label, so `*.market.example.com` is the only wildcard that can
///   match `a.market.example.com`, and `*.example.com` does not.
/// - `.longestSuffix`: a wildcard covers one or more labels, and the longest matching suffix wins, so
///   `a.market.example.com` gets `*.market.example.com` when there is one and `*.example.com` otherwise.
///
/// Names compare case-insensitively and without a trailing dot. Built once per snapshot; `select` costs one
/// dictionary lookup per label of the name at most (walking up from the nearest parent, so the first hit is the
/// longest suffix), and is safe to call from any thread.
package struct SNICertificateSelector<Entry: Sendable>: Sendable {
    private let exact: [String: Entry]
    /// Wildcard entries keyed by the domain after `*.`.
    private let wildcards: [String: Entry]
    private let matching: SNIMatchAlgorithm

    /// Indexes `entries` by domain; the first entry wins when a domain repeats.
    package init(_ entries: [(domain: String, entry: Entry)], matching: SNIMatchAlgorithm = .wildcard) {
        var exact: [String: Entry] = [:]
        var wildcards: [String: Entry] = [:]
        for (domain, entry) in entries {
            let domain = Self.normalize(domain)
            if domain.hasPrefix("*.") {
                let parent = String(domain.dropFirst(2))
                if wildcards[parent] == nil { wildcards[parent] = entry }
            } else if exact[domain] == nil {
                exact[domain] = entry
            }
        }
        self.exact = exact
        self.wildcards = wildcards
        self.matching = matching
    }

    /// Whether there are no domain extensions at all.
    package var isEmpty: Bool { self.exact.isEmpty && self.wildcards.isEmpty }

    /// The entry for `serverName`, or nil for the default certificate.
    package func select(_ serverName: String?) -> Entry? {
        guard let serverName else { return nil }
        let name = Self.normalize(serverName)
        if let entry = self.exact[name] { return entry }
        guard !self.wildcards.isEmpty else { return nil }
        var suffix = Substring(name)
        // Each pass drops the leftmost label; an empty label (a leading or doubled dot) matches nothing.
        while let dot = suffix.firstIndex(of: "."), dot != suffix.startIndex {
            suffix = suffix[suffix.index(after: dot)...]
            if let entry = self.wildcards[String(suffix)] { return entry }
            guard self.matching == .longestSuffix else { return nil }
        }
        return nil
    }

    /// The form domains are compared in: lowercase, without trailing dots.
    package static func normalize(_ name: String) -> String {
        var name = name.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
