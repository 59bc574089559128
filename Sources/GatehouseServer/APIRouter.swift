import AliyunAPI
import ControlPlane
import HuaweiAPI
import Foundation
import Hummingbird
import Storage

/// The routes on the API port: `/healthz`, and the API fronts. Every failure, including the framework's own
/// (unknown route, size limits), is answered in the caller's dialect as JSON, never HTML or a redirect.
enum APIRouter {
    static func build(services: Services, defaultRegionID: String) -> Router<BasicRequestContext> {
        let store = services.store
        let router = Router()
        router.middlewares.add(FrameworkErrorMiddleware())
        router.get("/healthz") { _, _ -> Response in
            let revision = try await store.revision()
            let body = #"{"status":"ok","storage":"\#(store.engine)","revision":\#(revision)}"#
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        AliyunAPI(services: services, defaultRegionID: defaultRegionID).mount(on: router)
        HuaweiAPI(services: services).mount(on: router)
        return router
    }
}

/// Turns errors the framework raises (no such route, body too large) into the API's JSON error shape.
struct FrameworkErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let (code, message) =
                switch error.status {
                case .notFound: ("InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
                case .methodNotAllowed: ("InvalidAction.NotFound", "Specified api is not found, please check your url and method.")
                case .contentTooLarge: ("InvalidParameterLength", "The request body is too large.")
                default: ("InvalidParameter", "The request is not valid (\(error.status.code)).")
                }
            if request.uri.path.hasPrefix("/v3/") {
                let message = error.status == .notFound ? "The API does not exist or has not been published." : message
                return HuaweiAPI.errorResponse(status: error.status, code: error.status == .notFound ? "APIGW.0101" : "ELB.8902", message: message)
            }
            return AliyunAPI.errorResponse(status: error.status, code: code, message: message, host: request.head.authority ?? "")
        }
    }
}
