import Foundation
import HTTPTypes

/// An ELB v3 error: an HTTP status and `{"error_msg","error_code","request_id"}`; the SDK takes the request id
/// from the `X-Request-Id` header, so both carry it.
struct HuaweiError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var code: String
    var message: String

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    func body(requestID: String) -> Data {
        (try? JSONSerialization.data(
            withJSONObject: ["error_msg": self.message, "error_code": self.code, "request_id": requestID], options: [.sortedKeys]))
            ?? Data()
    }

    static func invalid(_ message: String) -> HuaweiError { HuaweiError(.badRequest, "ELB.8902", message) }
    static func notFound(_ what: String, _ id: String) -> HuaweiError {
        HuaweiError(.notFound, "ELB.8904", "\(what) \(id) could not be found.")
    }

    /// Gateway authentication failures (APIG's code for a bad AK/SK signature or an expired request).
    static func unauthorized(_ detail: String) -> HuaweiError {
        HuaweiError(.unauthorized, "APIGW.0301", "Incorrect IAM authentication information: \(detail)")
    }
}
