import Foundation
package import Logging
package import Storage

/// Builds the ``ConfigurationSnapshot`` from the database: every running listener with its load balancer's
/// address, backends, certificates (keys decrypted), domain extensions and compiled TLS policy.
///
/// A listener whose configuration cannot be served (a certificate or policy that no longer resolves) is left out
/// and logged, so one broken listener never takes the others down.
package struct SnapshotBuilder: Sendable {
    let store: Store
    let logger: Logger

    package init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    package func build() async throws -> ConfigurationSnapshot {
        let revision = try await self.store.revision()
        let balancers = Dictionary(uniqueKeysWithValues: try await self.store.loadBalancers.all().map { ($0.id, $0) })
        let running = try await self.store.loadBalancers.listeners(of: nil).filter { $0.status == Listener.Status.running.rawValue }
        let backends = Dictionary(grouping: try await self.store.loadBalancers.backends(of: Array(Set(running.map(\.loadBalancerID)))),
                                  by: \.loadBalancerID)
        let servers = Dictionary(uniqueKeysWithValues: try await self.store.servers.all().map { ($0.id, $0.ip) })
        let groupRecords = try await self.store.serverGroups.list(regionID: nil)
        let members = Dictionary(grouping: try await self.store.serverGroups.members(of: groupRecords.map(\.id)), by: \.groupID)
        let groups = Dictionary(uniqueKeysWithValues: try groupRecords.map {
            ($0.id, try ServerGroupService.group($0, members: members[$0.id] ?? [], listeners: []))
        })
        var listeners: [ListenerSnapshot] = []
        for record in running {
            guard let balancer = balancers[record.loadBalancerID] else { continue }
            do {
                let listener = try ListenerService.listener(record)
                var snapshot = try await self.snapshot(listener, balancer: balancer, backends: backends[balancer.id] ?? [], servers: servers)
                let groupID = listener.settings.vServerGroupID
                if !groupID.isEmpty {
                    guard let group = groups[groupID] else { throw ControlPlaneError.resourceNotFound(type: "pool", id: groupID) }
                    snapshot.backends = group.members.map { BackendSnapshot(serverID: $0.id, ip: $0.address, port: $0.port, weight: $0.weight) }
                    snapshot.scheduler = group.scheduler
                    snapshot.healthCheck = group.healthMonitor?.snapshot
                } else if listener.settings.elb == true {
                    // ELB listeners send traffic to their pool only; without one there is no backend (503).
                    snapshot.backends = []
                    snapshot.healthCheck = nil
                }
                listeners.append(snapshot)
            } catch {
                self.logger.error("Listener left out of the snapshot", metadata: [
                    "listener.id": "\(record.loadBalancerID)_\(record.protocol)_\(record.port)", "error": "\(error)",
                ])
            }
        }
        return ConfigurationSnapshot(revision: revision, listeners: listeners)
    }

    private func snapshot(
        _ listener: Listener, balancer: LoadBalancerRecord, backends: [BackendServerRecord], servers: [String: String]
    ) async throws -> ListenerSnapshot {
        let settings = listener.settings
        var headers = ForwardedHeaders()
        headers.forwardedFor = settings.xForwardedFor
        headers.forwardedProto = settings.xForwardedForProto
        headers.slbIP = settings.xForwardedForSLBIP
        headers.slbID = settings.xForwardedForSLBID
        headers.slbPort = settings.xForwardedForSLBPort
        headers.clientSourcePort = settings.xForwardedForClientSourcePort
        headers.clientCertificateSubject = settings.xForwardedForClientCertSubjectDN
        headers.clientCertificateIssuer = settings.xForwardedForClientCertIssuerDN
        headers.clientCertificateFingerprint = settings.xForwardedForClientCertFingerprint
        headers.clientCertificateVerify = settings.xForwardedForClientCertClientVerify
        headers.naming = settings.elb == true ? .elb : .clb
        let check = settings.healthCheck
        let healthCheck: HealthCheckSnapshot? =
            check.enabled
            ? HealthCheckSnapshot(
                kind: listener.protocol.isLayer4 && check.type != "http" ? .tcp : .http, uri: check.uri,
                domain: check.domain.isEmpty || check.domain == "$_ip" ? nil : check.domain, method: check.method.uppercased(),
                httpCodes: Set(check.httpCode.split(separator: ",").map(String.init)),
                connectPort: check.connectPort == 0 ? nil : check.connectPort, intervalSeconds: check.interval,
                timeoutSeconds: check.timeout, healthyThreshold: check.healthyThreshold, unhealthyThreshold: check.unhealthyThreshold)
            : nil
        return ListenerSnapshot(
            id: listener.resourceID, loadBalancerID: balancer.id, address: balancer.address, port: listener.port,
            protocol: listener.protocol,
            backends: backends.map {
                BackendSnapshot(
                    serverID: $0.serverID, ip: $0.type == "ecs" ? servers[$0.serverID] ?? $0.serverIP : $0.serverIP,
                    port: settings.backendServerPort, weight: $0.weight)
            },
            scheduler: settings.scheduler, tls: try await self.tls(listener, regionID: balancer.regionID), forwardedHeaders: headers,
            idleTimeoutSeconds: settings.effectiveIdleTimeout, requestTimeoutSeconds: settings.effectiveRequestTimeout,
            bandwidthMbps: settings.bandwidth, healthCheck: healthCheck)
    }

    private func tls(_ listener: Listener, regionID: String) async throws -> TLSSnapshot? {
        guard listener.protocol.terminatesTLS, let serverID = listener.serverCertificateID else { return nil }
        let extensions = try await self.store.loadBalancers.domainExtensions(loadBalancerID: listener.loadBalancerID, port: listener.port)
        var sni: [SNICertificate] = []
        for domainExtension in extensions {
            sni.append(SNICertificate(domain: domainExtension.domain, certificate: try await self.material(domainExtension.serverCertificateID)))
        }
        // ELB SNI certificates: one entry per domain the certificate is bound to.
        for entry in try await self.store.loadBalancers.sniCertificates(loadBalancerID: listener.loadBalancerID, port: listener.port) {
            guard let record = try await self.store.certificates.get(entry.certificateID) else {
                throw ControlPlaneError.certificateNotFound(.server, id: entry.certificateID)
            }
            let material = try await self.material(entry.certificateID)
            for domain in (record.domain ?? "").split(separator: ",") {
                let domain = domain.trimmingCharacters(in: .whitespaces).lowercased()
                if !domain.isEmpty { sni.append(SNICertificate(domain: domain, certificate: material)) }
            }
        }
        let clientCA = try await listener.caCertificateID.asyncMap { try await self.store.certificates.get($0)?.certificatePEM }
        let policy = try await TLSPolicyService(store: self.store).resolve(listener.tlsPolicy ?? TLSPolicies.defaultPolicy, regionID: regionID)
        return TLSSnapshot(
            defaultCertificate: try await self.material(serverID), sniCertificates: sni, clientCAPEM: clientCA ?? nil,
            policy: policy, enableHTTP2: listener.settings.enableHTTP2, sniMatch: listener.settings.sniMatch ?? .wildcard)
    }

    private func material(_ id: String) async throws -> CertificateMaterial {
        guard let record = try await self.store.certificates.get(id), let key = try await self.store.certificates.privateKeys(of: id)?.privateKeyPEM
        else { throw ControlPlaneError.certificateNotFound(.server, id: id) }
        return CertificateMaterial(id: id, chainPEM: record.certificatePEM, privateKeyPEM: key)
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
