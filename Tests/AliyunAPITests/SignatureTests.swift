@testable import AliyunAPI
import WireEncoding
import Testing

/// The signature algorithms against the vectors captured from the official SDKs (research/alibaba-clb.md 1.5, 1.6).
@Suite("CLB signatures")
struct SignatureTests {
    static func request(method: String = "POST", query: String, headers: [String: String] = [:]) -> RPCRequest {
        RPCRequest(
            method: method, path: "/", headers: headers.mapValues { [$0] },
            queryPairs: PercentEncoding.formPairs(Array(query.utf8)), bodyPairs: [], body: [])
    }

    @Test("V1: the documentation's test vector")
    func v1DocumentVector() {
        let stringToSign =
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26TimeStamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        #expect(SignatureV1.signature(stringToSign: stringToSign, secret: "testsecret") == "CT9X0VtwR86fNWSnsc6v8YGOjuE=")
        let request = Self.request(
            method: "GET",
            query: "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&TimeStamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=x")
        #expect(SignatureV1.stringToSign(request) == stringToSign)
    }

    @Test("V1: the old SDK's UploadServerCertificate (%20, empty SignatureType=)")
    func v1OldSDKCapture() {
        let request = Self.request(
            query: "ServerCertificate=-----BEGIN%20CERTIFICATE-----%0AMIIB%2Ba%2Fb%3D%0A-----END%20CERTIFICATE-----%0A&PrivateKey=-----BEGIN%20RSA%20PRIVATE%20KEY-----%0AMIIE%2Bx%2Fy%3D%0A-----END%20RSA%20PRIVATE%20KEY-----%0A&ServerCertificateName=my%20cert%2A~&Tag.1.Value=a%20b&Tag.1.Key=env&Version=2014-05-15&Action=UploadServerCertificate&Format=JSON&RegionId=cn-hangzhou&Timestamp=2026-11-23T00%3A12%3A01Z&SignatureMethod=HMAC-SHA1&SignatureType=&SignatureVersion=1.0&SignatureNonce=b5dbfff499235853b7b90d69653fa5fe&AccessKeyId=testid&Signature=wO5qDZE1536WEaZ2vAbMTnoC3nI%3D")
        let stringToSign = SignatureV1.stringToSign(request)
        #expect(stringToSign.hasPrefix("POST&%2F&AccessKeyId%3Dtestid%26Action%3DUploadServerCertificate%26Format%3DJSON%26PrivateKey%3D-----BEGIN%2520RSA"))
        #expect(SignatureV1.signature(stringToSign: stringToSign, secret: "testsecret") == "wO5qDZE1536WEaZ2vAbMTnoC3nI=")
        #expect(request.parameters["ServerCertificateName"] == "my cert*~")
    }

    @Test("V3: the new SDK's UploadServerCertificate ('+' for spaces on the wire, %20 in the canonical query)")
    func v3NewSDKCapture() throws {
        let request = Self.request(
            query: "PrivateKey=-----BEGIN+RSA+PRIVATE+KEY-----%0AMIIE%2Bx%2Fy%3D%0A-----END+RSA+PRIVATE+KEY-----%0A&RegionId=cn-hangzhou&ServerCertificate=-----BEGIN+CERTIFICATE-----%0AMIIB%2Ba%2Fb%3D%0A-----END+CERTIFICATE-----%0A&ServerCertificateName=my+cert%2A~&Tag.1.Key=env&Tag.1.Value=a+b",
            headers: [
                "accept": "application/json", "host": "127.0.0.1:18080",
                "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11.7 Core/0.4.3 TeaDSL/2",
                "x-acs-action": "UploadServerCertificate",
                "x-acs-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "x-acs-credentials-provider": "static_ak", "x-acs-date": "2026-11-23T00:12:00Z",
                "x-acs-signature-nonce": "7d0f6c1c0fa38b0f7db1c5b7ce77fad3", "x-acs-version": "2014-05-15",
            ])
        let authorization = try #require(SignatureV3.Authorization(
            "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=accept;host;user-agent;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=0ac78e9ef3bd8c154eeec8b7a500443e9b315e481932ec27a6fa47ad1b92f75c"))
        #expect(authorization.accessKeyID == "testid")
        let canonical = SignatureV3.canonicalRequest(request, signedHeaders: authorization.signedHeaders)
        #expect(canonical.contains("ServerCertificateName=my%20cert%2A~&Tag.1.Key=env&Tag.1.Value=a%20b\naccept:application/json\n"))
        let signature = SignatureV3.signature(stringToSign: SignatureV3.stringToSign(canonicalRequest: canonical), secret: "testsecret")
        #expect(signature == authorization.signature)
    }

    @Test("Form decoding keeps blank values and survives malformed escapes")
    func formDecoding() {
        let pairs = PercentEncoding.formPairs(Array("a=&b=%zz&c=%E5%90%8D+x&=v&d".utf8))
        #expect(pairs.map(\.0) == ["a", "b", "c", "", "d"])
        #expect(pairs.map(\.1) == ["", "%zz", "名 x", "v", ""])
        #expect(PercentEncoding.rfc3986("a b*~/名") == "a%20b%2A~%2F%E5%90%8D")
    }

    @Test("A replayed nonce is refused within the window, per access key")
    func nonces() {
        let cache = NonceCache(window: 900)
        #expect(cache.use("n1", accessKeyID: "A"))
        #expect(!cache.use("n1", accessKeyID: "A"))
        #expect(cache.use("n1", accessKeyID: "B"))
    }
}
