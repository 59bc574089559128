import HTTPTypes

/// A CLB error as the SDKs read it: an HTTP status, a `Code` and a `Message` in a JSON body.
struct AliyunError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The error body: `RequestId`, `HostId`, `Code`, `Message`, `Recommend`, as the live service sends them.
    func body(requestID: String, host: String) -> JSON {
        [
            "RequestId": .string(requestID),
            "HostId": .string(host),
            "Code": .string(self.code),
            "Message": .string(self.message),
            "Recommend": .string("https://api.aliyun.com/troubleshoot?q=\(self.code)&product=Slb&requestId=\(requestID)"),
        ]
    }
}

// Gateway-level errors (research/alibaba-clb.md 2.4), wording as the live service sends it.
extension AliyunError {
    static func missingParameter(_ name: String) -> AliyunError {
        AliyunError(.badRequest, "MissingParameter",
                    "The input parameter \"\(name)\" that is mandatory for processing this request is not supplied.")
    }

    static func invalidParameter(_ name: String, _ reason: String) -> AliyunError {
        AliyunError(.badRequest, "InvalidParameter", "The specified parameter \"\(name)\" is not valid: \(reason).")
    }

    /// The `:` before the string to sign matters: the old SDK splits the message on it (section 2.3).
    static func signatureDoesNotMatch(stringToSign: String) -> AliyunError {
        AliyunError(.badRequest, "SignatureDoesNotMatch",
                    "Specified signature is not matched with our calculation. server string to sign is:\(stringToSign)")
    }

    static func incompleteSignature(_ detail: String) -> AliyunError {
        AliyunError(.badRequest, "IncompleteSignature",
                    "The request signature does not conform to Aliyun standards. server string to sign is:\(detail)")
    }

    static let accessKeyNotFound = AliyunError(.notFound, "InvalidAccessKeyId.NotFound", "Specified access key is not found.")
    static let timestampExpired = AliyunError(.badRequest, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")
    static let timestampMalformed = AliyunError(
        .badRequest, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
    static let nonceUsed = AliyunError(.badRequest, "SignatureNonceUsed", "Specified signature nonce was used already.")
    static let invalidVersion = AliyunError(.badRequest, "InvalidVersion", "Specified parameter Version is not valid.")
    static let actionNotFound = AliyunError(
        .notFound, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
    static let signatureMethod = AliyunError(
        .badRequest, "InvalidParamater", "The specified parameter \"SignatureMethod\" is not valid.")
    static let signatureVersion = AliyunError(
        .badRequest, "InvalidParamater", "The specified parameter \"SignatureVersion\" is not valid.")
    static let internalError = AliyunError(
        .internalServerError, "InternalError", "The request processing has failed due to some unknown error, exception or failure.")
}
