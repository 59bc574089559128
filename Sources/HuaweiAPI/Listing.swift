import Foundation

/// The list conventions every ELB v3 collection shares (research/huawei-elb.md 1.3): repeated-key exact-match
/// filters, and marker pagination (`marker`, `limit` 0-2000, `page_reverse`) with `page_info`.
enum Listing {
    /// Query keys that steer paging rather than filter.
    private static let pagingKeys: Set<String> = ["marker", "limit", "page_reverse"]

    /// Filters `objects` (already in list order, each with an `id`) by the query, then cuts the page.
    ///
    /// A filter key matches a field of the same name (`name=a&name=b`), or for `<thing>_id` an array of `{"id"}`
    /// references named `<thing>s` (`listener_id` matches `listeners`). Keys that match no field are ignored, as the
    /// real service ignores filters it does not know.
    static func page(_ objects: [[String: Any]], call: HuaweiAPI.Call, collection: String) throws -> Data {
        var items = objects
        for key in Set(call.query.map(\.0)).subtracting(Self.pagingKeys) {
            let wanted = Set(call.values(key))
            if key == "enterprise_project_id", wanted.contains("all_granted_eps") { continue }
            items = items.filter { object in
                if let value = object[key] { return Self.text(value).map(wanted.contains) ?? false }
                if key.hasSuffix("_id"), let references = object[String(key.dropLast(3)) + "s"] as? [[String: Any]] {
                    return references.contains { ($0["id"] as? String).map(wanted.contains) ?? false }
                }
                return true
            }
        }
        let limitText = call.values("limit").first
        guard limitText == nil || Int(limitText!).map({ (0...2000).contains($0) }) == true else {
            throw HuaweiError.invalid("limit must be an integer from 0 to 2000.")
        }
        var page = Array(items.prefix(2000))  // the documented default limit
        if let limitText, let limit = Int(limitText) {
            if let marker = call.values("marker").first {
                guard let index = items.firstIndex(where: { $0["id"] as? String == marker }) else {
                    throw HuaweiError.invalid("marker \(marker) is not valid.")
                }
                let reverse = call.values("page_reverse").first?.lowercased() == "true"
                page = reverse ? Array(items[..<index].suffix(limit)) : Array(items[(index + 1)...].prefix(limit))
            } else {
                page = Array(items.prefix(limit))
            }
        }
        var pageInfo: [String: Any] = ["current_count": page.count]
        if let first = page.first?["id"] { pageInfo["previous_marker"] = first }
        if let last = page.last?["id"] { pageInfo["next_marker"] = last }
        return try JSONSerialization.data(withJSONObject: [collection: page, "page_info": pageInfo])
    }

    /// A scalar field as the query would spell it.
    private static func text(_ value: Any) -> String? {
        switch value {
        case let value as String: value
        case let value as Bool: value ? "true" : "false"
        case let value as Int: String(value)
        default: nil
        }
    }

    /// `yyyy-MM-dd'T'HH:mm:ss'Z'` in UTC, as every ELB timestamp.
    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `[{"id": ...}]`, how ELB objects refer to each other.
    static func references(_ ids: [String]) -> [[String: Any]] { ids.map { ["id": $0] } }
}
