import Foundation
import WireEncoding
import HTTPTypes
package import Hummingbird
package import Logging
package import Storage
package import ControlPlane

/// The Alibaba CLB 2014-05-15 RPC front: `GET`/`POST /` with V1 or V3 signatures, JSON responses with
/// `RequestId` at the top, JSON errors with `Code`/`Message`/`RequestId`/`HostId`/`Recommend`.
package struct AliyunAPI: Sendable {
    static let actions: [String: any Action.Type] = Dictionary(uniqueKeysWithValues: ([
        UploadServerCertificate.self, UploadCACertificate.self, DescribeServerCertificates.self, DescribeCACertificates.self,
        DeleteServerCertificate.self, DeleteCACertificate.self, SetServerCertificateName.self, SetCACertificateName.self,
        DescribeRegions.self, TagResources.self, UntagResources.self, ListTagResources.self,
        CreateLoadBalancer.self, DescribeLoadBalancers.self, DescribeLoadBalancerAttribute.self, DeleteLoadBalancer.self,
        SetLoadBalancerName.self, AddBackendServers.self, RemoveBackendServers.self, SetBackendServers.self,
        DescribeHealthStatus.self, CreateLoadBalancerHTTPSListener.self, CreateLoadBalancerHTTPListener.self,
        CreateLoadBalancerTCPListener.self, SetLoadBalancerHTTPSListenerAttribute.self, SetLoadBalancerHTTPListenerAttribute.self,
        SetLoadBalancerTCPListenerAttribute.self, DescribeLoadBalancerHTTPSListenerAttribute.self,
        DescribeLoadBalancerHTTPListenerAttribute.self, DescribeLoadBalancerTCPListenerAttribute.self,
        StartLoadBalancerListener.self, StopLoadBalancerListener.self, DeleteLoadBalancerListener.self,
        DescribeLoadBalancerListeners.self, CreateDomainExtension.self, DescribeDomainExtensions.self,
        DescribeDomainExtensionAttribute.self, SetDomainExtensionAttribute.self, DeleteDomainExtension.self,
        CreateTLSCipherPolicy.self, ListTLSCipherPolicies.self, SetTLSCipherPolicyAttribute.self, DeleteTLSCipherPolicy.self,
    ] as [any Action.Type]).map { ($0.name, $0) })

    /// Bodies larger than this are refused (SDKs send an empty body; `CommonRequest` users send a form).
    static let maximumBodyBytes = 1 << 20

    let services: Services
    let authenticator: Authenticator
    let defaultRegionID: String

    package init(services: Services, defaultRegionID: String) {
        self.services = services
        self.defaultRegionID = defaultRegionID
        let store = services.store
        self.authenticator = Authenticator { id in try await AccessKeyService(store: store).get(id) }
    }

    /// Mounts the front at `/` (GET and POST).
    package func mount<Context: RequestContext>(on router: Router<Context>) {
        router.on("/", method: .post) { request, context in await self.respond(to: request, logger: context.logger) }
        router.on("/", method: .get) { request, context in await self.respond(to: request, logger: context.logger) }
    }

    /// Answers one call; never throws: every failure becomes a CLB error body.
    package func respond(to request: Request, logger: Logger) async -> Response {
        let requestID = UUID().uuidString
        var request = request
        let host = request.head.authority ?? "slb.aliyuncs.com"
        do {
            let rpc = try await Self.rpcRequest(&request, host: host)
            let (_, action) = try await self.authenticator.authenticate(rpc)
            guard let handler = Self.actions[action] else { throw AliyunError.actionNotFound }
            var logger = logger
            logger[metadataKey: "request.id"] = "\(requestID)"
            logger[metadataKey: "api.action"] = "\(action)"
            let context = ActionContext(
                parameters: rpc.parameters, services: self.services, host: host, defaultRegionID: self.defaultRegionID)
            let members = try await handler.handle(context)
            logger.debug("CLB call succeeded")
            return Self.response(.ok, .object([("RequestId", .string(requestID))] + members), requestID: requestID)
        } catch {
            let wire: AliyunError
            switch error {
            case let error as AliyunError: wire = error
            case let error as ControlPlaneError: wire = AliyunError(error)
            default:
                logger.error("CLB call failed", metadata: ["request.id": "\(requestID)", "error": "\(String(reflecting: error))"])
                wire = .internalError
            }
            return Self.errorResponse(wire, requestID: requestID, host: host)
        }
    }

    /// A CLB error response, also used for framework-level failures (404 route, size limits).
    package static func errorResponse(status: HTTPResponse.Status, code: String, message: String, host: String) -> Response {
        Self.errorResponse(AliyunError(status, code, message), requestID: UUID().uuidString, host: host)
    }

    static func errorResponse(_ error: AliyunError, requestID: String, host: String) -> Response {
        Self.response(error.status, error.body(requestID: requestID, host: host), requestID: requestID)
    }

    static func response(_ status: HTTPResponse.Status, _ body: JSON, requestID: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json;charset=utf-8"
        headers[HTTPField.Name("x-acs-request-id")!] = requestID
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized)))
    }

    private static func rpcRequest(_ request: inout Request, host: String) async throws -> RPCRequest {
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        } catch {
            throw AliyunError(.contentTooLarge, "InvalidParameterLength", "The request body is larger than \(Self.maximumBodyBytes) bytes.")
        }
        let bodyBytes = Array(buffer: body)
        var headers: [String: [String]] = [:]
        for field in request.headers { headers[field.name.canonicalName, default: []].append(field.value) }
        headers["host"] = [host]
        let isForm = request.headers[.contentType]?.lowercased().contains("application/x-www-form-urlencoded") ?? false
        return RPCRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            headers: headers,
            queryPairs: PercentEncoding.formPairs(Array((request.uri.query ?? "").utf8)),
            bodyPairs: isForm ? PercentEncoding.formPairs(bodyBytes) : [],
            body: bodyBytes
        )
    }
}
