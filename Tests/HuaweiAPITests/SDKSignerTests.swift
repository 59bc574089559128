@testable import HuaweiAPI
import Testing

@Suite("Huawei SDK-HMAC-SHA256")
struct SDKSignerTests {
    @Test("The research note's test vector: canonical request and signature")
    func vector() throws {
        let authorization = try #require(SDKSigner.Authorization(
            "SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, Signature=aefe10639714b37754025216199cf29f7f1cf98207b4c47890627fa212440f3d"))
        #expect(authorization.accessKeyID == "AK")
        let canonical = SDKSigner.canonicalRequest(
            method: "GET", rawPath: "/v3/pid/elb/certificates", rawQuery: "limit=10",
            headers: ["content-type": "application/json", "host": "127.0.0.1:8080", "x-sdk-date": "20260101T000000Z"],
            signedHeaders: authorization.signedHeaders, body: [])
        #expect(canonical == "GET\n/v3/pid/elb/certificates/\nlimit=10\ncontent-type:application/json\nhost:127.0.0.1:8080\nx-sdk-date:20260101T000000Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let signature = SDKSigner.signature(
            stringToSign: SDKSigner.stringToSign(canonicalRequest: canonical, date: "20260101T000000Z"), secret: "SK")
        #expect(signature == authorization.signature)
    }

    @Test("Canonical URIs: unquoted whole, re-quoted per segment, always a trailing slash")
    func canonicalURI() {
        #expect(SDKSigner.canonicalURI("/v3/%7Bproject_id%7D/elb") == "/v3/%7Bproject_id%7D/elb/")
        #expect(SDKSigner.canonicalURI("/a%2Fb/c/") == "/a/b/c/")
        #expect(SDKSigner.canonicalURI("/a b~") == "/a%20b~/")
    }

    @Test("Malformed Authorization headers are refused", arguments: [
        "", "SDK-HMAC-SHA256", "SDK-HMAC-SHA256 Access=AK", "AWS4-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=00",
    ])
    func malformed(header: String) {
        #expect(SDKSigner.Authorization(header) == nil)
    }
}
