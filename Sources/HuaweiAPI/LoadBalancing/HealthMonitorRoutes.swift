import ControlPlane
import Foundation
import HTTPTypes

/// ELB v3 health monitors (`/healthmonitors`): at most one per pool; members that fail `max_retries_down` checks in
/// a row get no traffic until `max_retries` checks pass.
enum HealthMonitorRoutes {
    static func routes(_ base: String) -> [(HTTPRequest.Method, String, HuaweiAPI.Handler)] {
        [
            (.post, base + "/healthmonitors", Self.create),
            (.get, base + "/healthmonitors", Self.list),
            (.get, base + "/healthmonitors/:healthmonitor_id", Self.show),
            (.put, base + "/healthmonitors/:healthmonitor_id", Self.update),
            (.delete, base + "/healthmonitors/:healthmonitor_id", Self.delete),
        ]
    }

    struct Option: Decodable {
        var poolID: String?
        var name: String?
        var type: String?
        var delay: Int?
        var timeout: Int?
        var maxRetries: Int?
        var maxRetriesDown: Int?
        var monitorPort: Int?
        var urlPath: String?
        var domainName: String?
        var httpMethod: String?
        var expectedCodes: String?
        var adminStateUp: Bool?

        enum CodingKeys: String, CodingKey {
            case name, type, delay, timeout
            case poolID = "pool_id"
            case maxRetries = "max_retries"
            case maxRetriesDown = "max_retries_down"
            case monitorPort = "monitor_port"
            case urlPath = "url_path"
            case domainName = "domain_name"
            case httpMethod = "http_method"
            case expectedCodes = "expected_codes"
            case adminStateUp = "admin_state_up"
        }

        func apply(to monitor: inout HealthMonitor) {
            if let name { monitor.name = name }
            if let delay { monitor.delay = delay }
            if let timeout { monitor.timeout = timeout }
            if let maxRetries { monitor.maxRetries = maxRetries }
            if let maxRetriesDown { monitor.maxRetriesDown = maxRetriesDown }
            if let monitorPort { monitor.monitorPort = monitorPort }
            if let urlPath { monitor.urlPath = urlPath }
            if let domainName { monitor.domainName = domainName }
            if let httpMethod { monitor.httpMethod = httpMethod.uppercased() }
            if let expectedCodes { monitor.expectedCodes = expectedCodes }
        }
    }

    struct Envelope: Decodable {
        var healthmonitor: Option
    }

    static func create(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).healthmonitor
        guard let poolID = option.poolID, !poolID.isEmpty else { throw HuaweiError.invalid("pool_id is required.") }
        guard let type = option.type else { throw HuaweiError.invalid("type is required.") }
        guard option.delay != nil, option.timeout != nil, option.maxRetries != nil else {
            throw HuaweiError.invalid("delay, timeout and max_retries are required.")
        }
        if option.adminStateUp == false { throw HuaweiError.invalid("admin_state_up can only be true.") }
        var monitor = HealthMonitor(id: UUID().uuidString.lowercased(), name: "", kind: try Self.kind(type), createdAt: Date())
        option.apply(to: &monitor)
        monitor = try await call.serverGroups.createMonitor(groupID: poolID, regionID: call.region.id, monitor)
        return (.created, try Self.envelope(monitor, poolID: poolID, call))
    }

    static func show(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let (monitor, group) = try await call.serverGroups.monitor(call.parameter("healthmonitor_id"), regionID: call.region.id)
        return (.ok, try Self.envelope(monitor, poolID: group.id, call))
    }

    static func list(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let objects = try await call.serverGroups.list(regionID: call.region.id)
            .compactMap { group in group.healthMonitor.map { (monitor: $0, poolID: group.id) } }
            .sorted { ($0.monitor.createdAt, $0.monitor.id) < ($1.monitor.createdAt, $1.monitor.id) }
            .map { Self.object($0.monitor, poolID: $0.poolID, call) }
        return (.ok, try Listing.page(objects, call: call, collection: "healthmonitors"))
    }

    static func update(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).healthmonitor
        if option.adminStateUp == false { throw HuaweiError.invalid("admin_state_up can only be true.") }
        let id = call.parameter("healthmonitor_id")
        let kind = try option.type.map(Self.kind)
        let monitor = try await call.serverGroups.updateMonitor(id, regionID: call.region.id) { monitor in
            if let kind { monitor.kind = kind }
            option.apply(to: &monitor)
        }
        let (_, group) = try await call.serverGroups.monitor(id, regionID: call.region.id)
        return (.ok, try Self.envelope(monitor, poolID: group.id, call))
    }

    static func delete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        try await call.serverGroups.deleteMonitor(call.parameter("healthmonitor_id"), regionID: call.region.id)
        return (.noContent, nil)
    }

    private static func kind(_ type: String) throws -> HealthMonitor.Kind {
        switch type.uppercased() {
        case "HTTP": return .http
        case "TCP": return .tcp
        case "HTTPS", "UDP_CONNECT", "TLS", "GRPC", "HTTP2":
            throw ControlPlaneError.unsupported("health monitor type \(type) is not supported by this load balancer: HTTP or TCP.")
        default:
            throw HuaweiError.invalid("type \(type) is not valid: HTTP, HTTPS, TCP, UDP_CONNECT, TLS, GRPC or HTTP2.")
        }
    }

    private static func envelope(_ monitor: HealthMonitor, poolID: String, _ call: HuaweiAPI.Call) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["healthmonitor": Self.object(monitor, poolID: poolID, call)])
    }

    /// HealthMonitor.
    private static func object(_ monitor: HealthMonitor, poolID: String, _ call: HuaweiAPI.Call) -> [String: Any] {
        [
            "id": monitor.id, "name": monitor.name, "type": monitor.kind.rawValue.uppercased(), "delay": monitor.delay,
            "timeout": monitor.timeout, "max_retries": monitor.maxRetries, "max_retries_down": monitor.maxRetriesDown,
            "monitor_port": monitor.monitorPort ?? NSNull(), "url_path": monitor.urlPath, "domain_name": monitor.domainName ?? NSNull(),
            "http_method": monitor.httpMethod, "expected_codes": monitor.expectedCodes, "pools": Listing.references([poolID]),
            "pool_id": poolID, "admin_state_up": true, "project_id": call.region.projectID,
            "created_at": Listing.time(monitor.createdAt), "updated_at": Listing.time(monitor.createdAt),
        ]
    }
}
