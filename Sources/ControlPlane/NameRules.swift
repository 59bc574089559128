/// The naming rules of seeds 000 and 001 and the live docs.
package enum NameRules {
    /// Upload names (and CA renames): 1-80 characters, starting with a letter (CJK allowed); letters, digits,
    /// CJK, `.`, `_` and `-`.
    package static func isValidCertificateName(_ name: String) -> Bool {
        Self.check(name, extra: [".", "_", "-"])
    }

    /// Server certificate renames (SetServerCertificateName) also allow `*` and `/`, so `*.example.com` works.
    package static func isValidServerCertificateRename(_ name: String) -> Bool {
        guard (1...80).contains(name.count), let first = name.first else { return false }
        return (Self.isLetter(first) || first == "*") && name.allSatisfy { Self.isLetter($0) || $0.isNumber && $0.isASCII || ".-_/*".contains($0) }
    }

    private static func check(_ name: String, extra: Set<Character>) -> Bool {
        guard (1...80).contains(name.count), let first = name.first, Self.isLetter(first) else { return false }
        return name.allSatisfy { Self.isLetter($0) || ($0.isNumber && $0.isASCII) || extra.contains($0) }
    }

    /// ASCII letters and CJK ideographs.
    private static func isLetter(_ character: Character) -> Bool {
        if character.isASCII { return character.isLetter }
        return character.unicodeScalars.allSatisfy { (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
    }
}

/// The tag rules of seed 001: at most 20 tags; keys 1-64 characters, values at most 128; neither may start with
/// `aliyun` or `acs:` nor contain `http://` or `https://`.
package enum TagRules {
    package static let maximumTags = 20

    package static func validate(_ tags: [Tag]) throws(ControlPlaneError) {
        guard tags.count <= Self.maximumTags else { throw .tooManyTags(limit: Self.maximumTags) }
        for tag in tags {
            try Self.validateKey(tag.key)
            guard tag.value.count <= 128, !Self.isReserved(tag.value) else { throw .invalidTagValue(tag.value) }
        }
    }

    package static func validateKey(_ key: String) throws(ControlPlaneError) {
        guard !key.isEmpty else { throw .missingTagKey }
        guard key.count <= 64, !Self.isReserved(key) else { throw .invalidTagKey(key) }
    }

    private static func isReserved(_ text: String) -> Bool {
        let lower = text.lowercased()
        return lower.hasPrefix("aliyun") || lower.hasPrefix("acs:") || lower.contains("http://") || lower.contains("https://")
    }
}
