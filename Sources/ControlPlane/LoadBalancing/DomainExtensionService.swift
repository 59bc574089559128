import Foundation
package import Storage

/// Domain extensions: extra certificates chosen by SNI on HTTPS listeners (research/alibaba-clb.md 8).
package struct DomainExtensionService: Sendable {
    let store: Store
    let limits: ListenerLimits

    package init(store: Store, limits: ListenerLimits = ListenerLimits()) {
        self.store = store
        self.limits = limits
    }

    package func create(
        loadBalancerID: String, regionID: String, port: Int, domain: String, certificateID: String
    ) async throws -> DomainExtension {
        let listener = try await ListenerService(store: self.store, runtime: nil).get(
            loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        guard listener.protocol == .https else { throw ControlPlaneError.listenerProtocolMismatch(expected: .https) }
        let domain = domain.lowercased()
        try DomainNames.validate(domain)
        try await self.checkCertificate(certificateID, covers: domain, regionID: regionID)
        let existing = try await self.store.loadBalancers.domainExtensions(loadBalancerID: loadBalancerID, port: port)
        guard !existing.contains(where: { $0.domain == domain }) else { throw ControlPlaneError.domainExtensionAlreadyExists(domain) }
        let record = DomainExtensionRecord(
            id: "de-" + Identifiers.lowercaseAlphanumeric(13), loadBalancerID: loadBalancerID, listenerPort: port, domain: domain,
            serverCertificateID: certificateID, createdAt: Int64(Date().timeIntervalSince1970))
        do {
            try await self.store.loadBalancers.insertDomainExtension(record, limit: self.limits.domainExtensionsPerListener)
        } catch StorageError.limitExceeded {
            throw ControlPlaneError.domainExtensionQuotaExceeded(limit: self.limits.domainExtensionsPerListener)
        }
        return Self.model(record)
    }

    /// Domain extensions of a listener, optionally one by id.
    package func list(loadBalancerID: String, regionID: String, port: Int, id: String?) async throws -> [DomainExtension] {
        _ = try await ListenerService(store: self.store, runtime: nil).get(loadBalancerID: loadBalancerID, regionID: regionID, port: port)
        return try await self.store.loadBalancers.domainExtensions(loadBalancerID: loadBalancerID, port: port, id: id).map(Self.model)
    }

    package func get(_ id: String, regionID: String) async throws -> DomainExtension {
        guard let record = try await self.store.loadBalancers.domainExtensions(id: id).first,
            let balancer = try await self.store.loadBalancers.get(record.loadBalancerID), balancer.regionID == regionID
        else { throw ControlPlaneError.domainExtensionNotFound(id) }
        return Self.model(record)
    }

    /// Replaces the certificate of a domain extension (the domain stays).
    package func setCertificate(_ id: String, regionID: String, certificateID: String) async throws {
        let current = try await self.get(id, regionID: regionID)
        try await self.checkCertificate(certificateID, covers: current.domain, regionID: regionID)
        try await self.store.loadBalancers.updateDomainExtension(DomainExtensionRecord(
            id: id, loadBalancerID: current.loadBalancerID, listenerPort: current.listenerPort, domain: current.domain,
            serverCertificateID: certificateID, createdAt: Int64(Date().timeIntervalSince1970)))
    }

    package func delete(_ id: String, regionID: String) async throws {
        _ = try await self.get(id, regionID: regionID)
        try await self.store.loadBalancers.deleteDomainExtension(id)
    }

    private func checkCertificate(_ id: String, covers domain: String, regionID: String) async throws {
        let certificate = try await CertificateService(store: self.store).get(id, kind: .server, regionID: regionID)
        let names = certificate.subjectAlternativeNames.isEmpty ? [certificate.commonName].compactMap { $0 } : certificate.subjectAlternativeNames
        guard names.contains(where: { DomainNames.certificateName($0, covers: domain) }) else {
            throw ControlPlaneError.certificateDoesNotCoverDomain(domain: domain, certificateID: id)
        }
    }

    private static func model(_ record: DomainExtensionRecord) -> DomainExtension {
        DomainExtension(id: record.id, loadBalancerID: record.loadBalancerID, listenerPort: record.listenerPort,
                        domain: record.domain, serverCertificateID: record.serverCertificateID)
    }
}

/// Domain rules shared by domain extensions and SNI certificates.
package enum DomainNames {
    /// Letters, digits, `-` and `.`, starting with a letter or digit; a wildcard only as a whole first label (`*.`).
    package static func validate(_ domain: String) throws(ControlPlaneError) {
        let body = domain.hasPrefix("*.") ? String(domain.dropFirst(2)) : domain
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count <= 253, labels.count >= (domain.hasPrefix("*.") ? 2 : 1),
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                    && label.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" }
            })
        else { throw .invalidDomain(domain) }
    }

    /// Whether a certificate name (possibly `*.example.com`) covers a domain (possibly a wildcard itself): exact
    /// match, or a wildcard name covering exactly one label.
    package static func certificateName(_ name: String, covers domain: String) -> Bool {
        let name = name.lowercased()
        if name == domain { return true }
        guard name.hasPrefix("*.") else { return false }
        let suffix = name.dropFirst(1)  // ".example.com"
        guard domain.hasSuffix(suffix) else { return false }
        let label = domain.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".") && label != "*" || domain == name
    }
}
