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
    /// The head as sent to the backend, kept for one retry.
    var forwardedHead: HTTPRequestHead
    var backendChannel: (any Channel)?
    /// Whether the backend connection came from the pool (the backend may have closed it meanwhile).
    var reusedConnection = false
    /// Whether body bytes went to the backend (then the request cannot be sent again).
    var bodySent = false
    /// Whether the request was already sent again on a new connection.
    var retried = false
    /// Request parts read before the backend connection was ready.
    var pending: [HTTPClientRequestPart] = []
    var pendingBytes = 0
    var requestComplete = false
    var responseHead: HTTPResponseHead?
    var timeout: Scheduled<Void>?
}
