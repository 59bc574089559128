/// Lowercase hex, two digits a byte.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes, separator: String) -> String {
        bytes.map { byte in
            String(decoding: [Self.digits[Int(byte >> 4)], Self.digits[Int(byte & 0x0F)]], as: UTF8.self)
        }.joined(separator: separator)
    }
}

/// IP addresses from SAN octets, in their usual text forms.
enum IPText {
    static func format(_ bytes: ArraySlice<UInt8>) -> String {
        switch bytes.count {
        case 4:
            return bytes.map(String.init).joined(separator: ".")
        case 16:
            let bytes = Array(bytes)
            let groups = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            return groups.joined(separator: ":")
        default:
            return Hex.string(bytes, separator: "")
        }
    }
}
