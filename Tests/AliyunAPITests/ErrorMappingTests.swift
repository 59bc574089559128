@testable import AliyunAPI
import Certificates
import HTTPTypes
import ControlPlane
import Testing

@Suite("ControlPlane rules become seed 001 wire codes")
struct ErrorMappingTests {
    @Test("Each rule maps to its Alibaba code and status", arguments: [
        (ControlPlaneError.regionNotAuthorized("cn-nowhere"), "UnauthorizedRegion", 403),
        (.invalidCertificate(.keyNotAllowed(.ec(.p256)), field: .certificate), "EccCertificateNotSupport", 400),
        (.invalidCertificate(.keyNotAllowed(.rsa(bits: 3072)), field: .certificate), "OperationDenied.IllegalKeyLength", 400),
        (.invalidCertificate(.keyNotAllowed(.sm2), field: .certificate), "ServerCertificate.NotSupport", 400),
        (.invalidCertificate(.keyDoesNotMatchLeaf, field: .privateKey), "InvalidParameter", 400),
        (.invalidCertificate(.chainMisordered(position: 0), field: .certificate), "IllegalParam.ServerCertificate", 400),
        (.invalidCertificate(.notPEM(reason: "x"), field: .certificate), "CertificateFormatInvalid", 400),
        (.invalidCertificate(.notPEM(reason: "x"), field: .privateKey), "InvalidParameter", 400),
        (.invalidCertificate(.encryptedPrivateKey, field: .privateKey), "PrivateKeyEncryption", 400),
        (.storeCertificateNotFound("1"), "InvalidParameter.AliCloudCertificateId", 400),
        (.invalidTagKey("aliyun"), "InvalidParam.TagKey", 400),
        (.invalidTagValue("http://x"), "InvalidParam.TagValue", 400),
        (.tooManyTags(limit: 20), "SizeLimitExceeded.Tag", 400),
        (.missingTagKey, "MissingParam.TagKey", 400),
        (.certificateNotFound(.server, id: "x"), "ServerCertificateId.NotFound", 404),
        (.certificateNotFound(.ca, id: "x"), "CACertificateId.NotFound", 404),
        (.certificateInUse("x"), "CertificateAndPrivateKeyIsRefered", 400),
    ])
    func wireCode(error: ControlPlaneError, code: String, status: Int) {
        let wire = AliyunError(error)
        #expect(wire.code == code)
        #expect(wire.status.code == status)
    }

    @Test("Error bodies carry the five keys the SDKs read")
    func body() {
        let body = AliyunError.accessKeyNotFound.body(requestID: "R", host: "h").serialized
        #expect(body.hasPrefix(#"{"RequestId":"R","HostId":"h","Code":"InvalidAccessKeyId.NotFound","Message":"#))
        #expect(body.contains(#""Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidAccessKeyId.NotFound"#))
    }

    @Test("JSON strings are escaped")
    func escaping() {
        #expect(JSON.string("a\"b\\c\n\u{1}名").serialized == #""a\"b\\c\n\u0001名""#)
    }
}
