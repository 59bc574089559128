import ControlPlane
import Foundation

/// Decodes CLB parameters: scalars, `Name.N` lists, `Name.N.Field` objects, booleans as `True`/`true`.
///
/// Unknown parameters are ignored. Malformed values raise ``AliyunError`` with the CLB parameter codes.
struct RPCParameters: Sendable {
    var values: [String: String]

    subscript(_ name: String) -> String? { self.values[name] }

    /// A required, non-empty string.
    func required(_ name: String) throws(AliyunError) -> String {
        guard let value = self.values[name], !value.isEmpty else { throw .missingParameter(name) }
        return value
    }

    /// A string that is absent or empty becomes nil.
    func optional(_ name: String) -> String? {
        guard let value = self.values[name], !value.isEmpty else { return nil }
        return value
    }

    /// `True`/`true`/`False`/`false` (the Python SDKs send `str(bool)`).
    func bool(_ name: String) throws(AliyunError) -> Bool? {
        guard let value = self.optional(name) else { return nil }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .invalidParameter(name, "must be true or false")
        }
    }

    /// A decimal integer.
    func int(_ name: String) throws(AliyunError) -> Int? {
        guard let value = self.optional(name) else { return nil }
        guard let number = Int(value) else { throw .invalidParameter(name, "must be an integer") }
        return number
    }

    /// `on`/`off` switches (case-insensitive).
    func onOff(_ name: String) throws(AliyunError) -> Bool? {
        guard let value = self.optional(name) else { return nil }
        switch value.lowercased() {
        case "on": return true
        case "off": return false
        default: throw .invalidParameter(name, "must be on or off")
        }
    }

    /// A JSON array of objects in one parameter (`BackendServers`, `Tags`), with every value as a string
    /// (`"Weight": 100` and `"Weight": "100"` both arrive as `"100"`).
    func jsonObjects(_ name: String) throws(AliyunError) -> [[String: String]]? {
        guard let text = self.optional(name) else { return nil }
        guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            throw .invalidParameter(name, "must be a JSON array of objects")
        }
        return array.map { object in
            object.compactMapValues { value -> String? in
                switch value {
                case let string as String: string
                case let number as NSNumber: number.stringValue
                default: nil
                }
            }
        }
    }

    /// `Name.1`, `Name.2`, ... in index order. Indexes need not be contiguous; they must be 1...`limit`.
    func list(_ name: String, limit: Int = 20) throws(AliyunError) -> [String] {
        let prefix = name + "."
        var items: [(Int, String)] = []
        for (key, value) in self.values where key.hasPrefix(prefix) {
            guard let index = Int(key.dropFirst(prefix.count)) else { continue }
            guard (1...limit).contains(index) else { throw .invalidParameter(key, "the index must be 1 to \(limit)") }
            items.append((index, value))
        }
        return items.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// `Name.N.Field` objects in index order, as dictionaries of their fields. Indexes above `limit` are refused
    /// with `tooMany`.
    func objects(_ name: String, limit: Int = 20, tooMany: AliyunError) throws(AliyunError) -> [[String: String]] {
        let prefix = name + "."
        var objects: [Int: [String: String]] = [:]
        for (key, value) in self.values where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count).split(separator: ".", maxSplits: 1)
            guard rest.count == 2, let index = Int(rest[0]) else { continue }
            guard index >= 1 else { throw .invalidParameter(key, "indexes start at 1") }
            guard index <= limit else { throw tooMany }
            objects[index, default: [:]][String(rest[1])] = value
        }
        return objects.sorted { $0.key < $1.key }.map(\.value)
    }

    /// `Tag.N.Key`/`Tag.N.Value` (seed 001): at most 20; a value without a key is `MissingParam.TagKey`.
    func tags(_ name: String = "Tag") throws(AliyunError) -> [Tag] {
        let objects = try self.objects(name, tooMany: AliyunError(ControlPlaneError.tooManyTags(limit: 20)))
        var tags: [Tag] = []
        for object in objects {
            guard let key = object["Key"], !key.isEmpty else {
                throw AliyunError(ControlPlaneError.missingTagKey)
            }
            tags.append(Tag(key: key, value: object["Value"] ?? ""))
        }
        return tags
    }
}
