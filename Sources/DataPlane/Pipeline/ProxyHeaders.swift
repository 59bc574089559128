import ControlPlane
import NIOHTTP1

/// The header rewriting of the HTTP proxy: hop-by-hop headers out, `X-Forwarded-*` in. Pure functions.
enum ProxyHeaders {
    /// Hop-by-hop headers (RFC 9110 7.6.1), never forwarded. `transfer-encoding` is handled by the encoders.
    static let hopByHop: Set<String> = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade"]

    /// Every header the proxy may add; client-sent ones are always removed so they cannot be spoofed.
    static let forwarded = [
        "x-forwarded-for", "x-forwarded-proto", "slb-ip", "slb-id", "x-forwarded-port", "x-forwarded-client-srcport",
        "x-forwarded-clientcert-subjectdn", "x-forwarded-clientcert-issuerdn", "x-forwarded-clientcert-fingerprint",
        "x-forwarded-clientcert-clientverify", "x-forwarded-elb-ip", "x-forwarded-elb-id", "x-forwarded-for-port",
    ]

    /// The request to send to the backend: HTTP/1.1, kept alive, with the listener's forwarded headers.
    static func backendRequest(_ head: HTTPRequestHead, context: ForwardingContext) -> HTTPRequestHead {
        var headers = head.headers
        Self.removeHopByHop(&headers)
        headers.remove(name: "expect")
        for name in Self.forwarded { headers.remove(name: name) }
        let switches = context.switches
        if switches.forwardedFor, let ip = context.clientIP { headers.add(name: "X-Forwarded-For", value: ip) }
        if switches.forwardedProto { headers.add(name: "X-Forwarded-Proto", value: context.scheme) }
        let elb = switches.naming == .elb
        if switches.slbIP { headers.add(name: elb ? "X-Forwarded-ELB-IP" : "SLB-IP", value: context.listenerAddress) }
        if switches.slbID { headers.add(name: elb ? "X-Forwarded-ELB-ID" : "SLB-ID", value: context.loadBalancerID) }
        if switches.slbPort { headers.add(name: "X-Forwarded-Port", value: String(context.listenerPort)) }
        if switches.clientSourcePort, let port = context.clientPort {
            headers.add(name: elb ? "X-Forwarded-For-Port" : "X-Forwarded-Client-Srcport", value: String(port))
        }
        if let certificate = context.clientCertificate {
            if switches.clientCertificateSubject {
                headers.add(name: "X-Forwarded-Clientcert-subjectdn", value: certificate.subject)
            }
            if switches.clientCertificateIssuer {
                headers.add(name: "X-Forwarded-Clientcert-issuerdn", value: certificate.issuer)
            }
            if switches.clientCertificateFingerprint {
                headers.add(name: "X-Forwarded-Clientcert-fingerprint", value: certificate.fingerprint)
            }
            if switches.clientCertificateVerify {
                headers.add(name: "X-Forwarded-Clientcert-clientverify", value: "SUCCESS")
            }
        }
        return HTTPRequestHead(version: .http1_1, method: head.method, uri: head.uri, headers: headers)
    }

    /// The backend's response as the client gets it, in the client's HTTP version.
    ///
    /// - Returns: The head, and whether the client connection stays open after this response (false when the
    ///   client asked to close, or an HTTP/1.0 client gets a body without a length).
    static func clientResponse(
        _ head: HTTPResponseHead,
        requestVersion: HTTPVersion,
        keepAlive: Bool
    ) -> (head: HTTPResponseHead, keepAlive: Bool) {
        var headers = head.headers
        Self.removeHopByHop(&headers)
        headers.remove(name: "transfer-encoding")
        var keepAlive = keepAlive
        if requestVersion.minor == 0 && !headers.contains(name: "content-length") && head.status.mayHaveResponseBody {
            keepAlive = false
        }
        if !keepAlive {
            headers.add(name: "connection", value: "close")
        } else if requestVersion.minor == 0 {
            headers.add(name: "connection", value: "keep-alive")
        }
        return (HTTPResponseHead(version: requestVersion, status: head.status, headers: headers), keepAlive)
    }

    /// Removes the hop-by-hop headers and every header the `Connection` header names.
    static func removeHopByHop(_ headers: inout HTTPHeaders) {
        let named = headers[canonicalForm: "connection"].map { $0.lowercased() }
        for name in named { headers.remove(name: String(name)) }
        for name in Self.hopByHop { headers.remove(name: name) }
    }
}
