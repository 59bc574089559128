/// Splits PEM text into blocks and checks its shape.
///
/// The rules follow the CLB and ELB format pages: only PEM; no text outside the blocks; no blank lines inside a
/// block or between blocks; base64 without spaces. Line length is not enforced (many tools wrap at 76). Pure;
/// throws the first ``CertificateError`` it meets and never traps, whatever the input.
package struct PEMReader: Sendable {
    /// Inputs longer than this many bytes are refused before any parsing.
    package var maximumBytes: Int

    package init(maximumBytes: Int = 64 * 1024) {
        self.maximumBytes = maximumBytes
    }

    /// Reads every block of `text`, in order.
    package func blocks(in text: String) throws(CertificateError) -> [PEMBlock] {
        let size = text.utf8.count
        guard size <= self.maximumBytes else { throw .inputTooLarge(bytes: size, limit: self.maximumBytes) }
        // Split on the byte, not the Character: "\r\n" is one Character in Swift.
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            Substring(String(decoding: bytes, as: UTF8.self)).trimmingTrailingWhitespace()
        }
        guard lines.contains(where: { !$0.isEmpty }) else { throw .emptyInput }

        var blocks: [PEMBlock] = []
        var open: (label: String, line: Int, headers: [PEMBlock.Header], body: [Substring], headersEnded: Bool)?
        var blankSinceLastBlock: Int?

        for (offset, line) in lines.enumerated() {
            let number = offset + 1
            if var current = open {
                if let label = Self.marker(line, kind: "END") {
                    guard label == current.label else { throw .truncated(label: current.label) }
                    blocks.append(try Self.decode(current.label, current.headers, current.body, line: current.line))
                    open = nil
                    blankSinceLastBlock = nil
                    continue
                }
                if Self.marker(line, kind: "BEGIN") != nil { throw .truncated(label: current.label) }
                if line.isEmpty {
                    // RFC 1421: one blank line ends the header section; any other blank line is refused.
                    guard !current.headers.isEmpty, !current.headersEnded, current.body.isEmpty else {
                        throw .blankLinesInChain(line: number)
                    }
                    current.headersEnded = true
                } else if current.body.isEmpty, !current.headersEnded, let header = Self.header(line) {
                    current.headers.append(header)
                } else {
                    current.body.append(line)
                }
                open = current
                continue
            }
            if line.isEmpty {
                if !blocks.isEmpty, blankSinceLastBlock == nil { blankSinceLastBlock = number }
                continue
            }
            guard let label = Self.marker(line, kind: "BEGIN") else {
                if Self.marker(line, kind: "END") != nil { throw .notPEM(reason: "an END line without BEGIN at line \(number)") }
                throw .notPEM(reason: "unexpected text at line \(number)")
            }
            if let blank = blankSinceLastBlock { throw .blankLinesInChain(line: blank) }
            open = (label, number, [], [], false)
        }
        if let current = open { throw .truncated(label: current.label) }
        return blocks
    }

    /// The label of a `-----BEGIN label-----` (or END) line, or nil.
    private static func marker(_ line: Substring, kind: String) -> String? {
        let prefix = "-----\(kind) "
        guard line.hasPrefix(prefix), line.hasSuffix("-----"), line.count >= prefix.count + 5 else { return nil }
        let label = line.dropFirst(prefix.count).dropLast(5)
        guard !label.isEmpty, !label.contains("-----") else { return nil }
        return String(label)
    }

    private static func header(_ line: Substring) -> PEMBlock.Header? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "-" }) else { return nil }
        let value = line[line.index(after: colon)...].drop { $0 == " " }
        return PEMBlock.Header(name: String(name), value: String(value))
    }

    private static func decode(
        _ label: String,
        _ headers: [PEMBlock.Header],
        _ body: [Substring],
        line: Int
    ) throws(CertificateError) -> PEMBlock {
        guard let der = Base64.decode(body.joined()), !der.isEmpty else { throw .badBase64(label: label) }
        var block = PEMBlock(label: label, der: der, line: line)
        block.headerPairs = headers
        return block
    }
}

extension Substring {
    fileprivate func trimmingTrailingWhitespace() -> Substring {
        var end = self.endIndex
        while end > self.startIndex {
            let previous = self.index(before: end)
            guard self[previous] == " " || self[previous] == "\t" || self[previous] == "\r" else { break }
            end = previous
        }
        return self[self.startIndex..<end]
    }
}
