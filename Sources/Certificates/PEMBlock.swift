/// One `-----BEGIN label----- ... -----END label-----` block, decoded.
package struct PEMBlock: Hashable, Sendable {
    /// The label, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`.
    package var label: String
    /// RFC 1421 headers such as `Proc-Type` and `DEK-Info`, in order.
    package var headers: [(name: String, value: String)] { self.headerPairs.map { ($0.name, $0.value) } }
    /// The decoded body.
    package var der: [UInt8]
    /// The 1-based line of the `BEGIN` line in the input.
    package var line: Int

    var headerPairs: [Header]

    struct Header: Hashable, Sendable {
        var name: String
        var value: String
    }

    package init(label: String, der: [UInt8], line: Int = 1) {
        self.label = label
        self.der = der
        self.line = line
        self.headerPairs = []
    }

    /// Whether the block is an encrypted key in either of the two PEM encodings.
    package var isEncryptedKey: Bool {
        self.label == "ENCRYPTED PRIVATE KEY"
            || self.headerPairs.contains { $0.name.lowercased() == "proc-type" && $0.value.contains("ENCRYPTED") }
    }

    /// The block re-encoded as PEM with 64-character lines (headers are not kept).
    package var pem: String {
        let base64 = Base64.encode(self.der)
        var lines = ["-----BEGIN \(self.label)-----"]
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        lines.append("-----END \(self.label)-----")
        return lines.joined(separator: "\n") + "\n"
    }
}
