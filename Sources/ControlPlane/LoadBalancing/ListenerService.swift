import Foundation
package import Storage

/// Limits on listeners (seed 002 / CLB limits page), configurable.
package struct ListenerLimits: Hashable, Sendable {
    package var listenersPerLoadBalancer = 50
    package var domainExtensionsPerListener = 3
    /// ELB `sni_container_refs`: certificates per listener, and domains over all of them.
    package var sniCertificatesPerListener = 50
    package var sniDomainsPerListener = 200

    package init() {}
}

/// Creates, configures, starts, stops and deletes listeners, with the documented state rules: new listeners are
/// `stopped`; start only from `stopped`, binding the port first so a port in use fails the call; delete from
/// `stopped` or `running`.
package struct ListenerService: Sendable {
    let store: Store
    let runtime: (any ListenerRuntime)?
    let limits: ListenerLimits

    package init(store: Store, runtime: (any ListenerRuntime)?, limits: ListenerLimits = ListenerLimits()) {
        self.store = store
        self.runtime = runtime
        self.limits = limits
    }

    /// What a create or update carries besides the settings.
    package struct Certificates: Hashable, Sendable {
        package var serverCertificateID: String?
        package var caCertificateID: String?
        package var tlsPolicy: String?
        /// The SNI certificate list (ELB `sni_container_refs`): server certificates chosen by their `domain`.
        /// nil on an update leaves the list as it is.
        package var sniCertificateIDs: [String]?

        package init(
            serverCertificateID: String? = nil, caCertificateID: String? = nil, tlsPolicy: String? = nil, sniCertificateIDs: [String]? = nil
        ) {
            self.serverCertificateID = serverCertificateID
            self.caCertificateID = caCertificateID
            self.tlsPolicy = tlsPolicy
            self.sniCertificateIDs = sniCertificateIDs
        }
    }

    package func create(
        loadBalancerID: String, regionID: String, port: Int, protocol: ListenerProtocol, settings: ListenerSettings,
        certificates: Certificates
    ) async throws -> Listener {
        _ = try await LoadBalancerService(store: self.store).get(loadBalancerID, regionID: regionID)
        guard (1...65535).contains(port) else { throw ControlPlaneError.invalidParameter(name: "ListenerPort", reason: "1 to 65535") }
        try settings.validate()
        try await self.checkReferences(certificates, protocol: `protocol`, regionID: regionID)
        if try await self.store.loadBalancers.listener(loadBalancerID, port: port) != nil {
            throw ControlPlaneError.listenerAlreadyExists(port: port)
        }
        let record = ListenerRecord(
            loadBalancerID: loadBalancerID, port: port, protocol: `protocol`.rawValue, status: Listener.Status.stopped.rawValue,
            serverCertificateID: certificates.serverCertificateID, caCertificateID: certificates.caCertificateID,
            tlsPolicy: `protocol`.terminatesTLS ? (certificates.tlsPolicy ?? TLSPolicies.defaultPolicy) : nil,
            settings: try JSONCoding.encode(settings), createdAt: Int64(Date().timeIntervalSince1970))
        try await self.checkServerGroup(settings.vServerGroupID, loadBalancerID: loadBalancerID, protocol: `protocol`)
        do {
            try await self.store.loadBalancers.insertListener(
                record, limit: self.limits.listenersPerLoadBalancer, sniCertificateIDs: certificates.sniCertificateIDs ?? [])
        } catch StorageError.limitExceeded {
            throw ControlPlaneError.listenerQuotaExceeded(limit: self.limits.listenersPerLoadBalancer)
        } catch StorageError.uniqueViolation {
            throw ControlPlaneError.listenerAlreadyExists(port: port)
        }
        return try Self.listener(record)
    }

    /// Creates a listener that serves at once (the ELB model has no start call): binds the port, and if that fails
    /// removes the listener again and reports why.
    package func createRunning(
        loadBalancerID: String, regionID: String, port: Int, protocol: ListenerProtocol, settings: ListenerSettings,
        certificates: Certificates
    ) async throws -> Listener {
        let created = try await self.create(
            loadBalancerID: loadBalancerID, regionID: regionID, port: port, protocol: `protocol`, settings: settings,
            certificates: certificates)
        do {
            try await self.start(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        } catch {
            try? await self.store.loadBalancers.deleteListener(loadBalancerID, port: port, resourceID: created.resourceID)
            throw error
        }
        return try await self.get(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
    }

    /// A listener's SNI certificate ids, in list order.
    package func sniCertificateIDs(loadBalancerID: String, port: Int) async throws -> [String] {
        try await self.store.loadBalancers.sniCertificates(loadBalancerID: loadBalancerID, port: port).map(\.certificateID)
    }

    /// Changes a listener's settings and certificates; `change` edits a copy, which is validated as a whole.
    /// A running listener picks the change up without a restart.
    package func update(
        loadBalancerID: String, regionID: String, port: Int, protocol expected: ListenerProtocol?,
        _ change: (inout ListenerSettings, inout Certificates) throws -> Void
    ) async throws {
        var listener = try await self.get(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        if let expected, listener.protocol != expected { throw ControlPlaneError.listenerNotFound(loadBalancerID: loadBalancerID, port: port) }
        var certificates = Certificates(
            serverCertificateID: listener.serverCertificateID, caCertificateID: listener.caCertificateID, tlsPolicy: listener.tlsPolicy)
        try change(&listener.settings, &certificates)
        try listener.settings.validate()
        try await self.checkReferences(certificates, protocol: listener.protocol, regionID: regionID)
        try await self.checkServerGroup(listener.settings.vServerGroupID, loadBalancerID: loadBalancerID, protocol: listener.protocol)
        listener.serverCertificateID = certificates.serverCertificateID
        listener.caCertificateID = certificates.caCertificateID
        listener.tlsPolicy = certificates.tlsPolicy
        try await self.store.loadBalancers.updateListener(try Self.record(listener), sniCertificateIDs: certificates.sniCertificateIDs)
    }

    package func get(loadBalancerID: String, regionID: String, port: Int) async throws -> Listener {
        _ = try await LoadBalancerService(store: self.store).get(loadBalancerID, regionID: regionID)
        guard let record = try await self.store.loadBalancers.listener(loadBalancerID, port: port) else {
            throw ControlPlaneError.listenerNotFound(loadBalancerID: loadBalancerID, port: port)
        }
        return try Self.listener(record)
    }

    /// Listeners of the given load balancers (all in the region when empty).
    package func list(regionID: String, loadBalancerIDs: [String]) async throws -> [Listener] {
        let balancers = try await LoadBalancerService(store: self.store).list(regionID: regionID, ids: loadBalancerIDs)
        return try await self.store.loadBalancers.listeners(of: balancers.map(\.id)).map(Self.listener)
    }

    /// Starts a stopped listener: binds its port now (so a failure is this call's error), then marks it running.
    package func start(loadBalancerID: String, regionID: String, port: Int) async throws {
        var listener = try await self.get(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        guard listener.status == .stopped else {
            throw ControlPlaneError.listenerStatusConflict(status: listener.status.rawValue, operation: "start")
        }
        if listener.protocol.terminatesTLS {
            guard listener.serverCertificateID != nil else { throw ControlPlaneError.missingParameter("ServerCertificateId") }
        }
        let balancer = try await LoadBalancerService(store: self.store).get(loadBalancerID, regionID: regionID)
        do {
            try await self.runtime?.reserve(listenerID: listener.resourceID, address: balancer.address, port: port)
        } catch let error as ListenerBindError {
            throw ControlPlaneError.listenerBindFailed(address: error.address, port: error.port, reason: error.reason)
        }
        listener.status = .running
        try await self.store.loadBalancers.updateListener(try Self.record(listener))
        if let runtime = self.runtime { await runtime.waitUntilApplied(revision: try await self.store.revision()) }
    }

    /// Stops a listener: it stops accepting and drains open requests.
    package func stop(loadBalancerID: String, regionID: String, port: Int) async throws {
        var listener = try await self.get(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        guard listener.status != .stopped else { return }
        listener.status = .stopped
        try await self.store.loadBalancers.updateListener(try Self.record(listener))
    }

    package func delete(loadBalancerID: String, regionID: String, port: Int) async throws {
        let listener = try await self.get(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        try await self.store.loadBalancers.deleteListener(loadBalancerID, port: port, resourceID: listener.resourceID)
    }

    /// Health of each backend of a listener, as this node's data plane sees it.
    package func health(loadBalancerID: String, regionID: String, port: Int?) async throws -> [(Listener, [BackendHealth])] {
        let balancer = try await LoadBalancerService(store: self.store).get(loadBalancerID, regionID: regionID)
        let listeners = try await self.store.loadBalancers.listeners(of: [loadBalancerID]).map(Self.listener)
            .filter { port == nil || $0.port == port }
        var result: [(Listener, [BackendHealth])] = []
        for listener in listeners {
            let reported = listener.status == .running ? (self.runtime?.health(listenerID: listener.resourceID) ?? []) : []
            // A listener with a server group serves the group's members (each on its own port).
            let expected: [(serverID: String, ip: String, port: Int)]
            if !listener.settings.vServerGroupID.isEmpty,
                let group = try? await ServerGroupService(store: self.store).get(listener.settings.vServerGroupID, regionID: regionID)
            {
                expected = group.members.map { ($0.id, $0.address, $0.port) }
            } else {
                expected = balancer.backends.map { ($0.serverID, $0.ip, listener.settings.backendServerPort) }
            }
            let health = expected.map { backend in
                reported.first { $0.serverID == backend.serverID }
                    ?? BackendHealth(serverID: backend.serverID, ip: backend.ip, port: backend.port, status: .unavailable)
            }
            result.append((listener, health))
        }
        return result
    }

    /// A listener's server group must exist on the same load balancer and speak what the listener sends it.
    private func checkServerGroup(_ id: String, loadBalancerID: String, protocol: ListenerProtocol) async throws {
        guard !id.isEmpty else { return }
        guard let group = try await self.store.serverGroups.get(id), group.loadBalancerID == loadBalancerID else {
            throw ControlPlaneError.invalidParameter(name: "default_pool_id", reason: "pool \(id) is not a pool of load balancer \(loadBalancerID)")
        }
        let wanted = `protocol`.isLayer4 ? "tcp" : "http"
        guard group.protocol == wanted else {
            throw ControlPlaneError.invalidParameter(
                name: "default_pool_id", reason: "a \(`protocol`.rawValue.uppercased()) listener needs a \(wanted.uppercased()) pool")
        }
    }

    /// SNI certificates: server certificates with a domain; at most one ECC and one RSA certificate per domain
    /// (ECC wins for clients that offer ECDSA); at most 50 certificates and 200 domains.
    private func checkSNI(_ ids: [String], regionID: String) async throws {
        guard ids.count <= self.limits.sniCertificatesPerListener else {
            throw ControlPlaneError.invalidParameter(
                name: "sni_container_refs", reason: "at most \(self.limits.sniCertificatesPerListener) certificates")
        }
        guard Set(ids).count == ids.count else {
            throw ControlPlaneError.invalidParameter(name: "sni_container_refs", reason: "a certificate is listed twice")
        }
        let service = CertificateService(store: self.store)
        var algorithms: [String: Set<String>] = [:]
        var total = 0
        for id in ids {
            if (try? await service.get(id, kind: .serverSM, regionID: regionID)) != nil {
                throw ControlPlaneError.smCertificateNotServable(id)
            }
            let certificate = try await service.get(id, kind: .server, regionID: regionID)
            let domains = (certificate.domain ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
            guard !domains.isEmpty else {
                throw ControlPlaneError.invalidParameter(name: "sni_container_refs", reason: "certificate \(id) has no domain")
            }
            total += domains.count
            for domain in domains where !algorithms[domain, default: []].insert(certificate.keyAlgorithm).inserted {
                throw ControlPlaneError.invalidParameter(
                    name: "sni_container_refs",
                    reason: "domain \(domain) is repeated (one ECC and one RSA certificate per domain at most)")
            }
        }
        guard total <= self.limits.sniDomainsPerListener else {
            throw ControlPlaneError.invalidParameter(
                name: "sni_container_refs", reason: "at most \(self.limits.sniDomainsPerListener) domains over all certificates")
        }
    }

    private func checkReferences(_ certificates: Certificates, protocol: ListenerProtocol, regionID: String) async throws {
        guard `protocol`.terminatesTLS else {
            if let sni = certificates.sniCertificateIDs, !sni.isEmpty {
                throw ControlPlaneError.invalidParameter(name: "sni_container_refs", reason: "SNI needs an HTTPS or TLS listener")
            }
            return
        }
        if let sni = certificates.sniCertificateIDs { try await self.checkSNI(sni, regionID: regionID) }
        guard let serverID = certificates.serverCertificateID else { throw ControlPlaneError.missingParameter("ServerCertificateId") }
        let service = CertificateService(store: self.store)
        if (try? await service.get(serverID, kind: .serverSM, regionID: regionID)) != nil {
            throw ControlPlaneError.smCertificateNotServable(serverID)
        }
        _ = try await service.get(serverID, kind: .server, regionID: regionID)
        if let caID = certificates.caCertificateID {
            _ = try await service.get(caID, kind: .ca, regionID: regionID)
        }
        if let policy = certificates.tlsPolicy {
            _ = try await TLSPolicyService(store: self.store).resolve(policy, regionID: regionID)
        }
    }

    static func listener(_ record: ListenerRecord) throws -> Listener {
        Listener(
            loadBalancerID: record.loadBalancerID, port: record.port,
            protocol: ListenerProtocol(rawValue: record.protocol) ?? .http,
            status: Listener.Status(rawValue: record.status) ?? .stopped,
            serverCertificateID: record.serverCertificateID, caCertificateID: record.caCertificateID, tlsPolicy: record.tlsPolicy,
            settings: try JSONCoding.decode(ListenerSettings.self, record.settings),
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)))
    }

    static func record(_ listener: Listener) throws -> ListenerRecord {
        ListenerRecord(
            loadBalancerID: listener.loadBalancerID, port: listener.port, protocol: listener.protocol.rawValue,
            status: listener.status.rawValue, serverCertificateID: listener.serverCertificateID,
            caCertificateID: listener.caCertificateID, tlsPolicy: listener.tlsPolicy,
            settings: try JSONCoding.encode(listener.settings), createdAt: Int64(listener.createdAt.timeIntervalSince1970))
    }
}
