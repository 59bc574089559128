/// Chooses the certificate for a ClientHello's server name among a listener's domain extensions.
///
/// Precedence: an exact domain, then the wildcard for the name's parent domain (a wildcard covers exactly one
/// label, so `*.market.example.com` is the only wildcard that can match `a.market.example.com`, and
/// `*.example.com` does not), else nil, meaning the listener's default certificate (also when there is no SNI).
/// Built once per snapshot; `select` is a dictionary lookup and safe to call from any thread.
package struct SNICertificateSelector<Entry: Sendable>: Sendable {
    private let exact: [String: Entry]
    private let wildcards: [String: Entry]

    /// Indexes `entries` by domain; the first entry wins when a domain repeats.
    package init(_ entries: [(domain: String, entry: Entry)]) {
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
    }

    /// Whether there are no domain extensions at all.
    package var isEmpty: Bool { self.exact.isEmpty && self.wildcards.isEmpty }

    /// The entry for `serverName`, or nil for the default certificate.
    package func select(_ serverName: String?) -> Entry? {
        guard let serverName else { return nil }
        let name = Self.normalize(serverName)
        if let entry = self.exact[name] { return entry }
        guard let dot = name.firstIndex(of: "."), dot != name.startIndex else { return nil }
        return self.wildcards[String(name[name.index(after: dot)...])]
    }

    private static func normalize(_ name: String) -> String {
        var name = name.lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        return name
    }
}
