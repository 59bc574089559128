/// Random identifiers and secrets, from the system's secure generator.
package enum Identifiers {
    private static let alphanumerics = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    private static let hexDigits = Array("0123456789abcdef")

    /// `count` random letters and digits.
    package static func alphanumeric(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in Self.alphanumerics.randomElement(using: &generator)! })
    }

    /// `count` random lowercase letters and digits.
    package static func lowercaseAlphanumeric(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let characters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<count).map { _ in characters.randomElement(using: &generator)! })
    }

    /// `count` random lowercase hex digits.
    package static func hex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<count).map { _ in Self.hexDigits.randomElement(using: &generator)! })
    }
}
