/// Percent-encoding as the API signatures (CLB V1/V3, Huawei SDK-HMAC-SHA256) and form decoding need it.
package enum PercentEncoding {
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// RFC 3986: UTF-8, uppercase hex, only `A-Z a-z 0-9 - _ . ~` left as they are (space is `%20`).
    package static func rfc3986(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                output.append(byte)
            default:
                output += [UInt8(ascii: "%"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// `k=v&...` sorted by name (then value), both RFC 3986-encoded: the canonical query of both signatures.
    package static func canonicalQuery(_ pairs: [(String, String)]) -> String {
        let sorted = pairs.sorted { (a: (String, String), b: (String, String)) -> Bool in
            a.0 == b.0 ? a.1 < b.1 : a.0 < b.0
        }
        let encoded: [String] = sorted.map { (name: String, value: String) -> String in
            Self.rfc3986(name) + "=" + Self.rfc3986(value)
        }
        return encoded.joined(separator: "&")
    }

    /// Decodes `application/x-www-form-urlencoded` pairs: `+` is a space, `%XY` a byte; malformed escapes are kept
    /// literally. Blank values are kept (`SignatureType=`), as both signatures include them.
    package static func formPairs<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> [(String, String)] {
        guard !bytes.isEmpty else { return [] }
        return bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// Decodes `%XY` escapes (and `+` as a space when `plusIsSpace`); malformed escapes stay as they are.
    package static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes, plusIsSpace: Bool = true) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+"), plusIsSpace {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"),
                let first = bytes.index(index, offsetBy: 1, limitedBy: bytes.endIndex), first != bytes.endIndex,
                let second = bytes.index(first, offsetBy: 1, limitedBy: bytes.endIndex), second != bytes.endIndex,
                let high = Self.value(bytes[first]), let low = Self.value(bytes[second])
            {
                output.append(high << 4 | low)
                index = second
            } else {
                output.append(byte)
            }
            index = bytes.index(after: index)
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func value(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
