/// One CLB RPC call as received: what both signature checks and the parameter decoder need, taken off the
/// Hummingbird request once.
struct RPCRequest: Sendable {
    /// `GET` or `POST`.
    var method: String
    /// The path (always `/` for CLB).
    var path: String
    /// Header values by lowercased name, in arrival order. `host` is the Host value verbatim.
    var headers: [String: [String]]
    /// Query pairs, form-decoded, in wire order.
    var queryPairs: [(String, String)]
    /// Form body pairs (`application/x-www-form-urlencoded` only), form-decoded.
    var bodyPairs: [(String, String)]
    /// The raw body, for the V3 payload hash.
    var body: [UInt8]

    func header(_ name: String) -> String? { self.headers[name]?.first }

    /// Every parameter, query first then body; the first occurrence of a name wins.
    var parameters: RPCParameters {
        var values: [String: String] = [:]
        for (name, value) in self.queryPairs + self.bodyPairs where values[name] == nil {
            values[name] = value
        }
        return RPCParameters(values: values)
    }
}
