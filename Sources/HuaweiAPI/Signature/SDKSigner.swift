import Crypto
import Foundation
import WireEncoding

/// `SDK-HMAC-SHA256`, the Huawei SDK's default signature (research/huawei-elb.md 3.2 and appendix A).
enum SDKSigner {
    static let algorithm = "SDK-HMAC-SHA256"

    /// `SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b, Signature=hex`.
    struct Authorization: Sendable {
        var accessKeyID: String
        var signedHeaders: [String]
        var signature: String

        init?(_ header: String) {
            guard let fields = AuthorizationFields.parse(header, algorithm: SDKSigner.algorithm),
                let access = fields["Access"], !access.isEmpty, let signed = fields["SignedHeaders"], !signed.isEmpty,
                let signature = fields["Signature"], !signature.isEmpty
            else { return nil }
            self.accessKeyID = access
            self.signedHeaders = signed.split(separator: ";").map { $0.lowercased() }
            self.signature = signature.lowercased()
        }
    }

    /// The path unquoted as a whole, split on `/`, each segment re-quoted (RFC 3986), always ending in `/`.
    static func canonicalURI(_ rawPath: String) -> String {
        let decoded = PercentEncoding.decode(Array(rawPath.utf8), plusIsSpace: false)
        let path = decoded.split(separator: "/", omittingEmptySubsequences: false)
            .map { PercentEncoding.rfc3986(String($0)) }.joined(separator: "/")
        return path.hasSuffix("/") ? path : path + "/"
    }

    static func canonicalRequest(
        method: String, rawPath: String, rawQuery: String, headers: [String: String], signedHeaders: [String], body: [UInt8]
    ) -> String {
        let query = PercentEncoding.canonicalQuery(PercentEncoding.formPairs(Array(rawQuery.utf8)))
        let names = signedHeaders.sorted()
        let canonicalHeaders = names.map { "\($0):\((headers[$0] ?? "").trimmingCharacters(in: .whitespaces))\n" }.joined()
        return [method.uppercased(), Self.canonicalURI(rawPath), query, canonicalHeaders, names.joined(separator: ";"),
                SHA256.hash(data: body).hexString].joined(separator: "\n")
    }

    static func stringToSign(canonicalRequest: String, date: String) -> String {
        "\(Self.algorithm)\n\(date)\n\(SHA256.hash(data: Data(canonicalRequest.utf8)).hexString)"
    }

    static func signature(stringToSign: String, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data(secret.utf8)))).hexString
    }
}
