/// Splits `ALGORITHM k1=v1,k2=v2` (spaces after commas allowed), the shape of both the CLB V3 and the Huawei
/// `Authorization` headers; nil when the algorithm differs or a part has no `=`.
package enum AuthorizationFields {
    package static func parse(_ header: String, algorithm: String) -> [String: String]? {
        guard header.hasPrefix(algorithm + " ") else { return nil }
        var fields: [String: String] = [:]
        for part in header.dropFirst(algorithm.count + 1).split(separator: ",") {
            let pair = part.drop { $0 == " " }.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { return nil }
            fields[String(pair[0])] = String(pair[1]).trimmingTrailingSpaces()
        }
        return fields
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = Substring(self)
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
