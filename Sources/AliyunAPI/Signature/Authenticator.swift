import ControlPlane
import Crypto
import Foundation
import WireEncoding

/// Checks who is calling: V3 (`Authorization: ACS3-HMAC-SHA256 ...`) or V1 (`Signature=` in the parameters),
/// the clock skew, the access key, the signature and the nonce, and returns the action the call names.
struct Authenticator: Sendable {
    /// The window either side of the server clock (the docs: 15 minutes).
    static let skew: TimeInterval = 15 * 60
    static let version = "2014-05-15"

    let accessKeys: @Sendable (String) async throws -> AccessKey?
    let nonces: NonceCache

    init(accessKeys: @escaping @Sendable (String) async throws -> AccessKey?) {
        self.accessKeys = accessKeys
        self.nonces = NonceCache(window: Self.skew)
    }

    /// The authenticated caller and the action, or the gateway error to send.
    func authenticate(_ request: RPCRequest, now: Date = Date()) async throws -> (key: AccessKey, action: String) {
        if let header = request.header("authorization"), header.hasPrefix("ACS3-") {
            return try await self.verifyV3(request, authorization: header, now: now)
        }
        return try await self.verifyV1(request, now: now)
    }

    private func verifyV1(_ request: RPCRequest, now: Date) async throws -> (key: AccessKey, action: String) {
        let parameters = request.parameters
        for name in ["Action", "Version", "AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "SignatureNonce"] {
            _ = try parameters.required(name)
        }
        guard parameters["SignatureMethod"]?.uppercased() == "HMAC-SHA1" else { throw AliyunError.signatureMethod }
        guard parameters["SignatureVersion"] == "1.0" else { throw AliyunError.signatureVersion }
        guard parameters["Version"] == Self.version else { throw AliyunError.invalidVersion }
        try Self.checkTime(parameters["Timestamp"] ?? "", now: now)
        let key = try await self.key(parameters["AccessKeyId"] ?? "")
        let stringToSign = SignatureV1.stringToSign(request)
        let expected = SignatureV1.signature(stringToSign: stringToSign, secret: key.secret)
        guard Self.constantTimeEqual(expected, parameters["Signature"] ?? "") else {
            throw AliyunError.signatureDoesNotMatch(stringToSign: stringToSign)
        }
        try self.useNonce(parameters["SignatureNonce"] ?? "", key: key)
        return (key, parameters["Action"] ?? "")
    }

    private func verifyV3(_ request: RPCRequest, authorization: String, now: Date) async throws -> (key: AccessKey, action: String) {
        guard let parsed = SignatureV3.Authorization(authorization) else {
            throw AliyunError.incompleteSignature("the Authorization header must be ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=...")
        }
        // Everything that decides what the request does must be signed.
        for name in ["host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce"] {
            guard request.header(name) != nil else { throw AliyunError.missingParameter(name) }
            guard parsed.signedHeaders.contains(name) else {
                throw AliyunError.incompleteSignature("the header \(name) must be in SignedHeaders")
            }
        }
        guard request.header("x-acs-version") == Self.version else { throw AliyunError.invalidVersion }
        try Self.checkTime(request.header("x-acs-date") ?? "", now: now)
        if let claimed = request.header("x-acs-content-sha256"), claimed != SHA256.hash(data: request.body).hexString {
            throw AliyunError.incompleteSignature("x-acs-content-sha256 does not match the body")
        }
        let key = try await self.key(parsed.accessKeyID)
        let canonical = SignatureV3.canonicalRequest(request, signedHeaders: parsed.signedHeaders)
        let stringToSign = SignatureV3.stringToSign(canonicalRequest: canonical)
        let expected = SignatureV3.signature(stringToSign: stringToSign, secret: key.secret)
        guard Self.constantTimeEqual(expected, parsed.signature.lowercased()) else {
            throw AliyunError.signatureDoesNotMatch(stringToSign: canonical)
        }
        try self.useNonce(request.header("x-acs-signature-nonce") ?? "", key: key)
        return (key, request.header("x-acs-action") ?? "")
    }

    private func key(_ id: String) async throws -> AccessKey {
        guard let key = try await self.accessKeys(id) else { throw AliyunError.accessKeyNotFound }
        return key
    }

    private func useNonce(_ nonce: String, key: AccessKey) throws {
        guard self.nonces.use(nonce, accessKeyID: key.id) else { throw AliyunError.nonceUsed }
    }

    /// `YYYY-MM-DDThh:mm:ssZ` (fractional seconds tolerated), within the skew window.
    static func checkTime(_ text: String, now: Date) throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var date = formatter.date(from: text)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: text)
        }
        guard let date else { throw AliyunError.timestampMalformed }
        guard abs(date.timeIntervalSince(now)) <= Self.skew else { throw AliyunError.timestampExpired }
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
