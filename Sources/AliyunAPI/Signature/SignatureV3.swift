import Crypto
import Foundation
import WireEncoding

/// Signature V3 (`ACS3-HMAC-SHA256`), the new SDK's default: research/alibaba-clb.md 1.6.
enum SignatureV3 {
    static let algorithm = "ACS3-HMAC-SHA256"

    /// The parts of `Authorization: ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`.
    struct Authorization: Sendable {
        var accessKeyID: String
        var signedHeaders: [String]
        var signature: String

        init?(_ header: String) {
            guard let fields = AuthorizationFields.parse(header, algorithm: SignatureV3.algorithm),
                let credential = fields["Credential"], !credential.isEmpty, let headers = fields["SignedHeaders"],
                let signature = fields["Signature"], !signature.isEmpty
            else { return nil }
            self.accessKeyID = credential
            self.signedHeaders = headers.split(separator: ";").map { $0.lowercased() }
            self.signature = signature
        }
    }

    /// The canonical request: method, path, sorted RFC 3986 query, the signed headers, their names, the payload hash.
    static func canonicalRequest(_ request: RPCRequest, signedHeaders: [String]) -> String {
        let query = PercentEncoding.canonicalQuery(request.queryPairs)
        let names = signedHeaders.sorted()
        let headers = names.map { name in
            let values = (request.headers[name] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.sorted()
            return "\(name):\(values.joined(separator: ","))\n"
        }.joined()
        let payload = SHA256.hash(data: request.body).hexString
        return [request.method, request.path.isEmpty ? "/" : request.path, query, headers, names.joined(separator: ";"), payload]
            .joined(separator: "\n")
    }

    static func stringToSign(canonicalRequest: String) -> String {
        "\(Self.algorithm)\n\(SHA256.hash(data: Data(canonicalRequest.utf8)).hexString)"
    }

    /// hex(HMAC-SHA256(secret, stringToSign)).
    static func signature(stringToSign: String, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data(secret.utf8)))).hexString
    }
}
