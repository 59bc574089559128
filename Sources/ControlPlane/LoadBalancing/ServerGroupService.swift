package import Foundation
package import Storage

/// A backend server group (ELB pool): members with their own ports, a scheduler and an optional health monitor. A
/// listener that names the group (``ListenerSettings/vServerGroupID``) sends its traffic to the members.
package struct ServerGroup: Hashable, Sendable {
    /// What the group's members speak: `http` for HTTP and HTTPS listeners, `tcp` for TCP listeners.
    package enum GroupProtocol: String, Hashable, Sendable, Codable {
        case http, tcp
    }

    package var id: String
    package var regionID: String
    package var loadBalancerID: String
    package var name: String
    package var description: String
    package var `protocol`: GroupProtocol
    package var scheduler: Scheduler
    package var healthMonitor: HealthMonitor?
    package var members: [ServerGroupMember]
    /// Listeners (resource ids) whose traffic goes to this group.
    package var listenerIDs: [String]
    package var createdAt: Date
    package var updatedAt: Date
}

/// A member of a server group.
package struct ServerGroupMember: Hashable, Sendable {
    package var id: String
    package var groupID: String
    package var name: String
    package var address: String
    package var port: Int
    /// 0-100; 0 takes the member out of rotation.
    package var weight: Int
    package var settings: ServerGroupMemberSettings
    package var createdAt: Date
    package var updatedAt: Date
}

/// Member attributes that are only echoed.
package struct ServerGroupMemberSettings: Hashable, Sendable, Codable {
    package var subnetID: String?

    package init(subnetID: String? = nil) {
        self.subnetID = subnetID
    }
}

/// The health check of a server group (ELB health monitor).
package struct HealthMonitor: Hashable, Sendable, Codable {
    package enum Kind: String, Hashable, Sendable, Codable {
        case http, tcp
    }

    package var id: String
    package var name: String
    package var kind: Kind
    /// Seconds between checks (1-50).
    package var delay: Int
    /// Seconds a check may take (1-50).
    package var timeout: Int
    /// Consecutive successes that bring a member back (1-10).
    package var maxRetries: Int
    /// Consecutive failures that take a member out (1-10).
    package var maxRetriesDown: Int
    /// The port to check; nil means each member's own port.
    package var monitorPort: Int?
    package var urlPath: String
    /// Host header of HTTP checks; nil means the member's address.
    package var domainName: String?
    package var httpMethod: String
    /// `200`, `200-204`, `200,202`: the statuses that pass.
    package var expectedCodes: String
    package var createdAt: Date

    package init(id: String, name: String, kind: Kind, createdAt: Date) {
        self.id = id
        self.name = name
        self.kind = kind
        self.delay = 5
        self.timeout = 3
        self.maxRetries = 3
        self.maxRetriesDown = 3
        self.monitorPort = nil
        self.urlPath = "/"
        self.domainName = nil
        self.httpMethod = "GET"
        self.expectedCodes = "200"
        self.createdAt = createdAt
    }

    /// The documented ranges; the first violation is reported by field name.
    package func validate() throws(ControlPlaneError) {
        func check(_ ok: Bool, _ name: String, _ reason: String) throws(ControlPlaneError) {
            if !ok { throw .invalidParameter(name: name, reason: reason) }
        }
        try check((1...50).contains(self.delay), "delay", "1 to 50 seconds")
        try check((1...50).contains(self.timeout), "timeout", "1 to 50 seconds")
        try check((1...10).contains(self.maxRetries), "max_retries", "1 to 10")
        try check((1...10).contains(self.maxRetriesDown), "max_retries_down", "1 to 10")
        try check(self.monitorPort.map { (1...65535).contains($0) } ?? true, "monitor_port", "1 to 65535")
        try check(self.name.count <= 255, "name", "at most 255 characters")
        guard self.kind == .http else { return }
        try check(self.urlPath.hasPrefix("/") && self.urlPath.count <= 80 && !self.urlPath.contains(where: \.isWhitespace),
                  "url_path", "a path starting with / (at most 80 characters)")
        try check(["GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "CONNECT", "PATCH"].contains(self.httpMethod),
                  "http_method", "GET, HEAD, POST, PUT, DELETE, TRACE, OPTIONS, CONNECT or PATCH")
        try check(Self.validCodes(self.expectedCodes), "expected_codes", "a status (200), a range (200-204) or a list (200,202), 200 to 599")
        if let domain = self.domainName, !domain.isEmpty { try DomainNames.validate(domain) }
    }

    private static func validCodes(_ text: String) -> Bool {
        let entries = text.split(separator: ",", omittingEmptySubsequences: false)
        return !entries.isEmpty && entries.count <= 16 && entries.allSatisfy { entry in
            let bounds = entry.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ $0.map { (200...599).contains($0) } ?? false }) else { return false }
            return bounds.count == 1 || bounds[0]! <= bounds[1]!
        }
    }

    /// What the data plane runs.
    var snapshot: HealthCheckSnapshot {
        HealthCheckSnapshot(
            kind: self.kind == .http ? .http : .tcp, uri: self.urlPath,
            domain: self.domainName.flatMap { $0.isEmpty ? nil : $0 }, method: self.httpMethod,
            httpCodes: Set(self.expectedCodes.split(separator: ",").map(String.init)), connectPort: self.monitorPort,
            intervalSeconds: self.delay, timeoutSeconds: self.timeout, healthyThreshold: self.maxRetries,
            unhealthyThreshold: self.maxRetriesDown)
    }
}

/// Server groups, their members and health monitors.
package struct ServerGroupService: Sendable {
    /// Members per group.
    package static let memberLimit = 500

    let store: Store
    let runtime: (any ListenerRuntime)?

    package init(store: Store, runtime: (any ListenerRuntime)? = nil) {
        self.store = store
        self.runtime = runtime
    }

    // MARK: Groups

    /// Creates a group on a load balancer; with `listenerPort`, the group becomes that listener's server group
    /// (which must not have one yet).
    package func create(
        regionID: String, loadBalancerID: String, name: String, description: String, protocol: ServerGroup.GroupProtocol,
        scheduler: Scheduler, listenerPort: Int?
    ) async throws -> ServerGroup {
        _ = try await LoadBalancerService(store: self.store).get(loadBalancerID, regionID: regionID)
        try Self.validate(name: name, description: description)
        let listeners = ListenerService(store: self.store, runtime: self.runtime)
        if let listenerPort {
            let listener = try await listeners.get(loadBalancerID: loadBalancerID, regionID: regionID, port: listenerPort)
            guard listener.settings.vServerGroupID.isEmpty else {
                throw ControlPlaneError.conflict("listener \(listener.resourceID) already has the pool \(listener.settings.vServerGroupID)")
            }
        }
        let now = Int64(Date().timeIntervalSince1970)
        let record = ServerGroupRecord(
            id: UUID().uuidString.lowercased(), regionID: regionID, loadBalancerID: loadBalancerID, name: name,
            description: description, protocol: `protocol`.rawValue, algorithm: scheduler.rawValue, healthMonitorID: nil,
            healthMonitor: nil, settings: "{}", createdAt: now, updatedAt: now)
        try await self.store.serverGroups.insert(record)
        if let listenerPort {
            do {
                try await listeners.update(loadBalancerID: loadBalancerID, regionID: regionID, port: listenerPort, protocol: nil) { settings, _ in
                    settings.vServerGroupID = record.id
                }
            } catch {
                try? await self.store.serverGroups.delete(record.id)
                throw error
            }
        }
        return try await self.get(record.id, regionID: regionID)
    }

    package func get(_ id: String, regionID: String) async throws -> ServerGroup {
        guard let record = try await self.store.serverGroups.get(id), record.regionID == regionID else {
            throw ControlPlaneError.resourceNotFound(type: "pool", id: id)
        }
        return try await self.assemble([record])[0]
    }

    /// Groups of a region, oldest first.
    package func list(regionID: String) async throws -> [ServerGroup] {
        try await self.assemble(try await self.store.serverGroups.list(regionID: regionID))
    }

    /// Changes name, description and scheduler.
    package func update(
        _ id: String, regionID: String, name: String?, description: String?, scheduler: Scheduler?
    ) async throws -> ServerGroup {
        guard var record = try await self.store.serverGroups.get(id), record.regionID == regionID else {
            throw ControlPlaneError.resourceNotFound(type: "pool", id: id)
        }
        record.name = name ?? record.name
        record.description = description ?? record.description
        record.algorithm = scheduler?.rawValue ?? record.algorithm
        try Self.validate(name: record.name, description: record.description)
        record.updatedAt = Int64(Date().timeIntervalSince1970)
        try await self.store.serverGroups.update(record)
        return try await self.get(id, regionID: regionID)
    }

    /// Deletes a group with its members and health monitor; refused while a listener sends traffic to it.
    package func delete(_ id: String, regionID: String) async throws {
        let group = try await self.get(id, regionID: regionID)
        guard group.listenerIDs.isEmpty else {
            throw ControlPlaneError.conflict("pool \(id) is used by listener \(group.listenerIDs.joined(separator: ", "))")
        }
        try await self.store.serverGroups.delete(id)
    }

    // MARK: Members

    package func addMember(
        groupID: String, regionID: String, name: String, address: String, port: Int, weight: Int?, settings: ServerGroupMemberSettings
    ) async throws -> ServerGroupMember {
        _ = try await self.get(groupID, regionID: regionID)
        guard IPAddressText.isValid(address) else { throw ControlPlaneError.invalidParameter(name: "address", reason: "an IPv4 or IPv6 address") }
        guard (1...65535).contains(port) else { throw ControlPlaneError.invalidParameter(name: "protocol_port", reason: "1 to 65535") }
        let weight = weight ?? 1
        guard (0...100).contains(weight) else { throw ControlPlaneError.invalidParameter(name: "weight", reason: "0 to 100") }
        guard name.count <= 255 else { throw ControlPlaneError.invalidParameter(name: "name", reason: "at most 255 characters") }
        let now = Int64(Date().timeIntervalSince1970)
        let record = ServerGroupMemberRecord(
            id: UUID().uuidString.lowercased(), groupID: groupID, name: name, address: address, port: port, weight: weight,
            settings: try JSONCoding.encode(settings), createdAt: now, updatedAt: now)
        do {
            try await self.store.serverGroups.insertMember(record, limit: Self.memberLimit)
        } catch StorageError.uniqueViolation {
            throw ControlPlaneError.conflict("a member with address \(address) and port \(port) already exists in pool \(groupID)")
        } catch StorageError.limitExceeded {
            throw ControlPlaneError.invalidParameter(name: "member", reason: "a pool has at most \(Self.memberLimit) members")
        }
        return try Self.member(record)
    }

    package func member(_ id: String, groupID: String, regionID: String) async throws -> ServerGroupMember {
        guard let member = try await self.get(groupID, regionID: regionID).members.first(where: { $0.id == id }) else {
            throw ControlPlaneError.resourceNotFound(type: "member", id: id)
        }
        return member
    }

    /// Changes a member's name and weight.
    package func updateMember(_ id: String, groupID: String, regionID: String, name: String?, weight: Int?) async throws -> ServerGroupMember {
        var member = try await self.member(id, groupID: groupID, regionID: regionID)
        if let weight {
            guard (0...100).contains(weight) else { throw ControlPlaneError.invalidParameter(name: "weight", reason: "0 to 100") }
            member.weight = weight
        }
        if let name {
            guard name.count <= 255 else { throw ControlPlaneError.invalidParameter(name: "name", reason: "at most 255 characters") }
            member.name = name
        }
        member.updatedAt = Date()
        try await self.store.serverGroups.updateMember(ServerGroupMemberRecord(
            id: member.id, groupID: groupID, name: member.name, address: member.address, port: member.port, weight: member.weight,
            settings: try JSONCoding.encode(member.settings), createdAt: Int64(member.createdAt.timeIntervalSince1970),
            updatedAt: Int64(member.updatedAt.timeIntervalSince1970)))
        return member
    }

    package func deleteMember(_ id: String, groupID: String, regionID: String) async throws {
        _ = try await self.member(id, groupID: groupID, regionID: regionID)
        try await self.store.serverGroups.deleteMember(id)
    }

    /// Each member's health on each listener that uses the group, as this node's data plane sees it.
    package func memberHealth(_ group: ServerGroup) -> [String: [(listenerID: String, status: BackendHealth.Status)]] {
        var result: [String: [(listenerID: String, status: BackendHealth.Status)]] = [:]
        for listenerID in group.listenerIDs {
            let reported = self.runtime?.health(listenerID: listenerID) ?? []
            for member in group.members {
                result[member.id, default: []].append(
                    (listenerID, reported.first { $0.serverID == member.id }?.status ?? .unavailable))
            }
        }
        return result
    }

    // MARK: Health monitors

    /// Adds the group's health monitor; a group has at most one.
    package func createMonitor(groupID: String, regionID: String, _ monitor: HealthMonitor) async throws -> HealthMonitor {
        guard var record = try await self.store.serverGroups.get(groupID), record.regionID == regionID else {
            throw ControlPlaneError.resourceNotFound(type: "pool", id: groupID)
        }
        guard record.healthMonitorID == nil else {
            throw ControlPlaneError.conflict("pool \(groupID) already has the health monitor \(record.healthMonitorID!)")
        }
        try monitor.validate()
        record.healthMonitorID = monitor.id
        record.healthMonitor = try JSONCoding.encode(monitor)
        record.updatedAt = Int64(Date().timeIntervalSince1970)
        try await self.store.serverGroups.update(record)
        return monitor
    }

    /// The monitor with this id and its group.
    package func monitor(_ id: String, regionID: String) async throws -> (HealthMonitor, ServerGroup) {
        guard let group = try await self.list(regionID: regionID).first(where: { $0.healthMonitor?.id == id }), let monitor = group.healthMonitor
        else { throw ControlPlaneError.resourceNotFound(type: "healthmonitor", id: id) }
        return (monitor, group)
    }

    /// Changes a monitor; `change` edits a copy, which is validated as a whole.
    package func updateMonitor(_ id: String, regionID: String, _ change: (inout HealthMonitor) throws -> Void) async throws -> HealthMonitor {
        var (monitor, group) = try await self.monitor(id, regionID: regionID)
        try change(&monitor)
        monitor.id = id
        try monitor.validate()
        try await self.setMonitor(monitor, groupID: group.id)
        return monitor
    }

    package func deleteMonitor(_ id: String, regionID: String) async throws {
        let (_, group) = try await self.monitor(id, regionID: regionID)
        try await self.setMonitor(nil, groupID: group.id)
    }

    private func setMonitor(_ monitor: HealthMonitor?, groupID: String) async throws {
        guard var record = try await self.store.serverGroups.get(groupID) else { throw ControlPlaneError.resourceNotFound(type: "pool", id: groupID) }
        record.healthMonitorID = monitor?.id
        record.healthMonitor = try monitor.map { try JSONCoding.encode($0) }
        record.updatedAt = Int64(Date().timeIntervalSince1970)
        try await self.store.serverGroups.update(record)
    }

    // MARK: Shapes

    private static func validate(name: String, description: String) throws(ControlPlaneError) {
        guard name.count <= 255 else { throw .invalidParameter(name: "name", reason: "at most 255 characters") }
        guard description.count <= 255 else { throw .invalidParameter(name: "description", reason: "at most 255 characters") }
    }

    static func member(_ record: ServerGroupMemberRecord) throws -> ServerGroupMember {
        ServerGroupMember(
            id: record.id, groupID: record.groupID, name: record.name, address: record.address, port: record.port, weight: record.weight,
            settings: try JSONCoding.decode(ServerGroupMemberSettings.self, record.settings),
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            updatedAt: Date(timeIntervalSince1970: TimeInterval(record.updatedAt)))
    }

    static func group(_ record: ServerGroupRecord, members: [ServerGroupMemberRecord], listeners: [Listener]) throws -> ServerGroup {
        ServerGroup(
            id: record.id, regionID: record.regionID, loadBalancerID: record.loadBalancerID, name: record.name,
            description: record.description, protocol: ServerGroup.GroupProtocol(rawValue: record.protocol) ?? .http,
            scheduler: Scheduler(rawValue: record.algorithm) ?? .wrr,
            healthMonitor: try record.healthMonitor.map { try JSONCoding.decode(HealthMonitor.self, $0) },
            members: try members.map(Self.member),
            listenerIDs: listeners.filter { $0.loadBalancerID == record.loadBalancerID && $0.settings.vServerGroupID == record.id }
                .map(\.resourceID),
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            updatedAt: Date(timeIntervalSince1970: TimeInterval(record.updatedAt)))
    }

    private func assemble(_ records: [ServerGroupRecord]) async throws -> [ServerGroup] {
        guard !records.isEmpty else { return [] }
        let members = Dictionary(grouping: try await self.store.serverGroups.members(of: records.map(\.id)), by: \.groupID)
        let listeners = try await self.store.loadBalancers.listeners(of: Array(Set(records.map(\.loadBalancerID)))).map(ListenerService.listener)
        return try records.map { try Self.group($0, members: members[$0.id] ?? [], listeners: listeners) }
    }
}
