package import ControlPlane
import Foundation
import HTTPTypes
package import Hummingbird
package import Logging
package import Storage
import WireEncoding

/// The Huawei ELB v3 REST front: routes under `/v3/{project_id}/elb/`, `SDK-HMAC-SHA256` signatures with the same
/// access keys as the CLB front, JSON bodies, `X-Request-Id` on every response, and errors as
/// `{"error_msg","error_code","request_id"}`. A project id names exactly one region.
package struct HuaweiAPI: Sendable {
    /// `X-Sdk-Date` must be within this window of the server clock (APIG: 15 minutes).
    static let skew: TimeInterval = 15 * 60
    /// Request bodies larger than this are refused (certificates are at most 64 KiB each).
    static let maximumBodyBytes = 1 << 20

    let services: Services
    var store: Store { self.services.store }

    package init(services: Services) {
        self.services = services
    }

    /// What a handler gets: the region the project names, the parsed body, query and path parameters, and the
    /// services (`call.certificates`, `call.listeners`, ... through ``Services``).
    @dynamicMemberLookup
    struct Call: Sendable {
        var region: Region
        var body: [UInt8]
        var query: [(String, String)]
        var parameters: Parameters
        var services: Services

        subscript<T>(dynamicMember keyPath: KeyPath<Services, T>) -> T { self.services[keyPath: keyPath] }

        /// A path parameter.
        func parameter(_ name: String) -> String { self.parameters.get(name) ?? "" }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            do {
                return try JSONDecoder().decode(type, from: Data(self.body))
            } catch {
                throw HuaweiError.invalid("The request body is not valid: \(Self.describe(error))")
            }
        }

        /// Every value of a repeated query key (`id=a&id=b`).
        func values(_ name: String) -> [String] { self.query.filter { $0.0 == name }.map(\.1) }

        private static func describe(_ error: any Error) -> String {
            switch error {
            case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
                DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
            default:
                return "\(error)"
            }
        }
    }

    typealias Handler = @Sendable (Call) async throws -> (HTTPResponse.Status, Data?)

    /// Mounts the routes. Fixed segments (`settings/private-key-echo`, `batch-delete`) are routed before `{id}`.
    package func mount<Context: RequestContext>(on router: Router<Context>) {
        let base = "/v3/:project_id/elb/certificates"
        let elb = "/v3/:project_id/elb"
        let routes: [(HTTPRequest.Method, String, Handler)] = LoadBalancerRoutes.routes(elb) + ListenerRoutes.routes(elb)
            + PoolRoutes.routes(elb) + HealthMonitorRoutes.routes(elb) + SecurityPolicyRoutes.routes(elb) + [
            (.post, base, CertificateRoutes.create),
            (.get, base, CertificateRoutes.list),
            (.get, base + "/settings/private-key-echo", CertificateRoutes.showEcho),
            (.post, base + "/settings/private-key-echo", CertificateRoutes.setEcho),
            (.post, base + "/batch-delete", CertificateRoutes.batchDelete),
            (.get, base + "/:certificate_id", CertificateRoutes.show),
            (.put, base + "/:certificate_id", CertificateRoutes.update),
            (.delete, base + "/:certificate_id", CertificateRoutes.delete),
        ]
        for (method, path, handler) in routes {
            router.on(RouterPath(path), method: method) { request, context in
                await self.respond(to: request, parameters: context.parameters, logger: context.logger, handler)
            }
        }
    }

    /// A Huawei-shaped error response (also for framework-level failures under `/v3/`).
    package static func errorResponse(status: HTTPResponse.Status, code: String, message: String) -> Response {
        Self.response(HuaweiError(status, code, message), requestID: Self.requestID())
    }

    private func respond(to request: Request, parameters: Parameters, logger: Logger, _ handler: Handler) async -> Response {
        let requestID = Self.requestID()
        var request = request
        do {
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.maximumBodyBytes)
            } catch {
                throw HuaweiError(.contentTooLarge, "ELB.8902", "The request body is larger than \(Self.maximumBodyBytes) bytes.")
            }
            let bytes = Array(buffer: body)
            try await self.authenticate(request, body: bytes)
            let projectID = parameters.get("project_id") ?? ""
            guard projectID.count == 32, projectID.allSatisfy({ $0.isHexDigit || $0.isLowercase && $0.isLetter }) else {
                throw HuaweiError.invalid("project_id \(projectID) is not valid: set the project id in the SDK credentials (32 lowercase characters).")
            }
            if let header = request.headers[HTTPField.Name("X-Project-Id")!], header != projectID {
                throw HuaweiError.invalid("X-Project-Id \(header) does not match the project in the path.")
            }
            let region = try await RegionService(store: self.store).region(forProject: projectID)
            let call = Call(
                region: region, body: bytes, query: PercentEncoding.formPairs(Array((request.uri.query ?? "").utf8)),
                parameters: parameters, services: self.services)
            let (status, payload) = try await handler(call)
            if request.method != .get, let runtime = self.services.runtime {
                // Answer once this node serves the change (certificates, listeners, pools, members, policies).
                await runtime.waitUntilApplied(revision: try await self.store.revision())
            }
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Request-Id")!] = requestID
            guard let payload else { return Response(status: status, headers: headers) }
            headers[.contentType] = "application/json;charset=UTF-8"
            var object = (try? JSONSerialization.jsonObject(with: payload) as? [String: Any]) ?? [:]
            object["request_id"] = requestID
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? payload
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        } catch {
            let wire: HuaweiError
            switch error {
            case let error as HuaweiError: wire = error
            case let error as ControlPlaneError: wire = HuaweiError(error)
            default:
                logger.error("ELB call failed", metadata: ["request.id": "\(requestID)", "error": "\(String(reflecting: error))"])
                wire = HuaweiError(.internalServerError, "ELB.8500", "Internal error.")
            }
            return Self.response(wire, requestID: requestID)
        }
    }

    /// Verifies `SDK-HMAC-SHA256` with the access keys of the store and the `X-Sdk-Date` window.
    private func authenticate(_ request: Request, body: [UInt8]) async throws {
        guard let header = request.headers[.authorization] else { throw HuaweiError.unauthorized("the Authorization header is missing.") }
        guard let authorization = SDKSigner.Authorization(header) else {
            throw HuaweiError.unauthorized("the Authorization header must be SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=....")
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = headers[field.name.canonicalName].map { $0 + "," + field.value } ?? field.value }
        headers["host"] = request.head.authority ?? ""
        guard let date = headers["x-sdk-date"], authorization.signedHeaders.contains("x-sdk-date"),
            authorization.signedHeaders.contains("host")
        else { throw HuaweiError.unauthorized("X-Sdk-Date and Host must be signed.") }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        guard let signedAt = formatter.date(from: date) else { throw HuaweiError.unauthorized("X-Sdk-Date is not yyyyMMddTHHmmssZ.") }
        guard abs(signedAt.timeIntervalSinceNow) <= Self.skew else { throw HuaweiError.unauthorized("the request has expired (X-Sdk-Date).") }
        guard let key = try await AccessKeyService(store: self.store).get(authorization.accessKeyID) else {
            throw HuaweiError.unauthorized("the access key \(authorization.accessKeyID) does not exist.")
        }
        let rawPath = request.uri.path
        let canonical = SDKSigner.canonicalRequest(
            method: request.method.rawValue, rawPath: rawPath, rawQuery: request.uri.query ?? "", headers: headers,
            signedHeaders: authorization.signedHeaders, body: body)
        let expected = SDKSigner.signature(stringToSign: SDKSigner.stringToSign(canonicalRequest: canonical, date: date), secret: key.secret)
        guard expected.utf8.count == authorization.signature.utf8.count,
            zip(expected.utf8, authorization.signature.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { throw HuaweiError.unauthorized("verify aksk signature fail.") }
    }

    private static func response(_ error: HuaweiError, requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=UTF-8"
        headers[HTTPField.Name("X-Request-Id")!] = requestID
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: error.body(requestID: requestID))))
    }

    private static func requestID() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
}
