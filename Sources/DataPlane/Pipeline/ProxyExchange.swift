import ControlPlane
import NIOCore
import NIOHTTP1

/// One request the HTTP proxy is carrying: from the client's request head until the backend's response end.
struct ProxyExchange {
    /// Tells callbacks of an earlier exchange (a late connect, a timer) from the current one.
    var id: Int
    var backend: BackendSnapshot
    var backendAddress: BackendConnectionPool.Address
    /// The client's request head (its version and keep-alive wish shape the response).
    var request: HTTPRequestHead
    /// Whether the client connection stays open after this response.
    var keepAlive: Bool
    var backendChannel: (any Channel)?
    /// Request parts read before the backend connection was ready.
    var pending: [HTTPClientRequestPart] = []
    var pendingBytes = 0
    var requestComplete = false
    var responseHead: HTTPResponseHead?
    var timeout: Scheduled<Void>?
}
