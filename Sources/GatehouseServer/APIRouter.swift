import Foundation
import Hummingbird
import Storage

/// The routes on the API port. `/healthz` answers once storage is open and migrated; the API fronts mount here.
enum APIRouter {
    static func build(store: Store) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/healthz") { _, _ -> Response in
            let revision = try await store.revision()
            let body = #"{"status":"ok","storage":"\#(store.engine)","revision":\#(revision)}"#
            return Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body))
            )
        }
        return router
    }
}
