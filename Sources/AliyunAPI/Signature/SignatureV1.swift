import Crypto
import Foundation
import WireEncoding

/// Signature V1 (HMAC-SHA1, RPC): research/alibaba-clb.md 1.5; verified against every captured SDK request.
enum SignatureV1 {
    /// `METHOD&%2F&enc(sorted canonical query)`, over query and form parameters minus `Signature`.
    static func stringToSign(_ request: RPCRequest) -> String {
        let pairs = (request.queryPairs + request.bodyPairs).filter { $0.0 != "Signature" }
        let canonical = PercentEncoding.canonicalQuery(pairs)
        return "\(request.method)&\(PercentEncoding.rfc3986("/"))&\(PercentEncoding.rfc3986(canonical))"
    }

    /// base64(HMAC-SHA1(secret + "&", stringToSign)).
    static func signature(stringToSign: String, secret: String) -> String {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data((secret + "&").utf8)))
        return Data(mac).base64EncodedString()
    }
}
