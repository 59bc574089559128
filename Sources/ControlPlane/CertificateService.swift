package import Certificates
package import Foundation
package import Storage

/// Limits on certificates, with the documented defaults (seed 000/003 quotas, Huawei's 11-level chains).
package struct CertificateLimits: Hashable, Sendable {
    package var serverCertificatesPerRegion = 100
    package var caCertificatesPerRegion = 100
    package var maximumInputBytes = 64 * 1024
    package var maximumChainLength = 11

    package init() {}
}

/// What an upload carries, as plain values; the API fronts fill it from their parameters.
package struct CertificateUpload: Sendable {
    package var regionID: String
    package var name: String?
    package var certificatePEM: String?
    package var privateKeyPEM: String?
    package var resourceGroupID: String?
    package var tags: [Tag] = []
    /// Import from the operator's certificate store instead of PEM (Alibaba `AliCloudCertificateId`).
    package var storeCertificateID: String?
    package var storeCertificateRegionID: String?

    package init(regionID: String) {
        self.regionID = regionID
    }
}

/// Uploads, lists, renames and deletes certificates, enforcing every rule once for both API fronts.
package struct CertificateService: Sendable {
    let store: Store
    let limits: CertificateLimits
    let now: @Sendable () -> Date

    package init(store: Store, limits: CertificateLimits = CertificateLimits(), now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.limits = limits
        self.now = now
    }

    /// Uploads a server certificate with its key, checked against `keyPolicy` (default: the region's policy).
    package func uploadServer(_ upload: CertificateUpload, keyPolicy: KeyPolicy? = nil) async throws -> Certificate {
        let region = try await RegionService(store: self.store).require(upload.regionID)
        try TagRules.validate(upload.tags)
        var certificatePEM = upload.certificatePEM ?? ""
        var keyPEM = upload.privateKeyPEM ?? ""
        var source: (id: String, name: String)?
        if let storeID = upload.storeCertificateID, !storeID.isEmpty {
            guard let entry = try await self.store.storeCertificates.get(storeID),
                upload.storeCertificateRegionID.map({ $0.isEmpty || $0 == entry.regionID }) ?? true
            else { throw ControlPlaneError.storeCertificateNotFound(storeID) }
            (certificatePEM, keyPEM, source) = (entry.certificatePEM, entry.privateKeyPEM, (entry.id, entry.name))
        }
        guard !certificatePEM.allSatisfy(\.isWhitespace), !keyPEM.allSatisfy(\.isWhitespace) else {
            throw ControlPlaneError.certificateOrKeyMissing
        }
        let bundle = try self.readChecked(certificatePEM, key: keyPEM, policy: keyPolicy ?? region.keyPolicy)
        let name = try Self.name(upload.name, default: bundle.leaf.info.commonName)
        let id = Self.serverCertificateID(region: region, at: self.now())
        let record = self.record(id: id, region: region.id, kind: .server, name: name, bundle: bundle, upload: upload, source: source)
        try await self.insert(record, keys: PrivateKeyMaterial(privateKeyPEM: keyPEM), tags: upload.tags,
                              quota: self.limits.serverCertificatesPerRegion)
        return try Self.certificate(record, tags: upload.tags)
    }

    /// Uploads a CA certificate (no key) for verifying client certificates.
    package func uploadCA(_ upload: CertificateUpload) async throws -> Certificate {
        let region = try await RegionService(store: self.store).require(upload.regionID)
        try TagRules.validate(upload.tags)
        if upload.storeCertificateID.map({ !$0.isEmpty }) ?? false { throw ControlPlaneError.storeHoldsNoCACertificates }
        guard let pem = upload.certificatePEM, !pem.allSatisfy(\.isWhitespace) else {
            throw ControlPlaneError.certificateOrKeyMissing
        }
        let bundle = try self.readChecked(pem, key: nil, policy: .any)
        let name = try Self.name(upload.name, default: bundle.leaf.info.commonName)
        let id = Self.caCertificateID(region: region, at: self.now())
        let record = self.record(id: id, region: region.id, kind: .ca, name: name, bundle: bundle, upload: upload, source: nil)
        try await self.insert(record, keys: PrivateKeyMaterial(privateKeyPEM: nil), tags: upload.tags,
                              quota: self.limits.caCertificatesPerRegion)
        return try Self.certificate(record, tags: upload.tags)
    }

    /// Certificates of a kind in a region, with their tags; `ids` and `tags` filter (every given tag must match;
    /// an empty value matches any value of that key).
    package func list(
        regionID: String, kind: CertificateKind, ids: [String] = [], tags: [Tag] = [], resourceGroupID: String? = nil
    ) async throws -> [Certificate] {
        _ = try await RegionService(store: self.store).require(regionID)
        let records = try await self.store.certificates.list(CertificateQuery(regionID: regionID, kinds: [kind.rawValue], ids: ids))
            .filter { resourceGroupID == nil || $0.resourceGroupID == resourceGroupID }
        let allTags = try await self.store.tags.list(type: "certificate", regionID: regionID, resourceIDs: records.map(\.id))
        let tagsByID = Dictionary(grouping: allTags, by: \.resourceID)
        return try records.compactMap { record in
            let own = (tagsByID[record.id] ?? []).map { Tag(key: $0.key, value: $0.value) }
            let matches = tags.allSatisfy { wanted in own.contains { $0.key == wanted.key && (wanted.value.isEmpty || $0.value == wanted.value) } }
            return matches ? try Self.certificate(record, tags: own) : nil
        }
    }

    /// One certificate of a kind in a region, or ``ControlPlaneError/certificateNotFound(_:id:)``.
    package func get(_ id: String, kind: CertificateKind, regionID: String) async throws -> Certificate {
        guard let certificate = try await self.list(regionID: regionID, kind: kind, ids: [id]).first else {
            throw ControlPlaneError.certificateNotFound(kind, id: id)
        }
        return certificate
    }

    /// Renames a certificate. Server certificates may use `*` and `/` (SetServerCertificateName); CA names follow
    /// the upload rule.
    package func rename(_ id: String, kind: CertificateKind, regionID: String, to name: String) async throws {
        let valid = kind == .server ? NameRules.isValidServerCertificateRename(name) : NameRules.isValidCertificateName(name)
        guard valid else { throw ControlPlaneError.invalidName(name) }
        _ = try await self.get(id, kind: kind, regionID: regionID)
        _ = try await self.store.certificates.rename(id, to: name, at: Int64(self.now().timeIntervalSince1970))
    }

    /// Deletes a certificate and its tags, unless a listener or domain extension uses it.
    package func delete(_ id: String, kind: CertificateKind, regionID: String) async throws {
        _ = try await self.get(id, kind: kind, regionID: regionID)
        guard try await self.store.loadBalancers.references(toCertificate: id).isEmpty else {
            throw ControlPlaneError.certificateInUse(id)
        }
        guard try await self.store.certificates.delete(id) else { throw ControlPlaneError.certificateNotFound(kind, id: id) }
    }

    // MARK: - Helpers

    /// Reads and checks input, turning the first defect into a ``ControlPlaneError`` that names its field.
    func readChecked(_ certificates: String, key: String?, policy: KeyPolicy) throws -> CertificateBundle {
        let reader = PEMReader(maximumBytes: self.limits.maximumInputBytes)
        var bundle: CertificateBundle
        do {
            bundle = try CertificateBundle.read(certificates: certificates, privateKey: nil, reader: reader)
        } catch {
            throw ControlPlaneError.invalidCertificate(error, field: .certificate)
        }
        if let key {
            do {
                bundle.privateKey = try CertificateBundle.readKey(key, reader: reader)
            } catch {
                throw ControlPlaneError.invalidCertificate(error, field: .privateKey)
            }
        }
        let report = CertificateValidator(maximumChainLength: self.limits.maximumChainLength).check(bundle, policy: policy, now: self.now())
        if let defect = report.firstDefect {
            throw ControlPlaneError.invalidCertificate(defect, field: defect == .keyDoesNotMatchLeaf ? .privateKey : .certificate)
        }
        return bundle
    }

    private func insert(_ record: CertificateRecord, keys: PrivateKeyMaterial, tags: [Tag], quota: Int) async throws {
        do {
            try await self.store.certificates.insert(record, keys: keys, tags: tags.map { ($0.key, $0.value) }, quota: quota)
        } catch StorageError.limitExceeded {
            throw ControlPlaneError.quotaExceeded(CertificateKind(rawValue: record.kind) ?? .server, limit: quota)
        }
    }

    private func record(
        id: String, region: String, kind: CertificateKind, name: String, bundle: CertificateBundle,
        upload: CertificateUpload, source: (id: String, name: String)?
    ) -> CertificateRecord {
        let leaf = bundle.leaf.info
        let now = Int64(self.now().timeIntervalSince1970)
        return CertificateRecord(
            id: id, regionID: region, kind: kind.rawValue, name: name,
            certificatePEM: bundle.chain.map(\.pem).joined(), commonName: leaf.commonName,
            subjectAlternativeNames: leaf.dnsNames, issuer: leaf.issuer, serialNumber: leaf.serialNumber,
            fingerprintSHA1: leaf.sha1Fingerprint, fingerprintSHA256: leaf.sha256Fingerprint,
            keyAlgorithm: leaf.key.algorithm, keyBits: leaf.key.bits ?? 0,
            notBefore: Int64(leaf.notBefore.timeIntervalSince1970), notAfter: Int64(leaf.notAfter.timeIntervalSince1970),
            source: source == nil ? "upload" : "store", sourceID: source.map { "\($0.id)\n\($0.name)" },
            resourceGroupID: upload.resourceGroupID, createdAt: now, updatedAt: now)
    }

    static func certificate(_ record: CertificateRecord, tags: [Tag]) throws -> Certificate {
        let source = record.sourceID?.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return Certificate(
            id: record.id, regionID: record.regionID, kind: CertificateKind(rawValue: record.kind) ?? .server, name: record.name,
            description: record.description, domain: record.domain, certificatePEM: record.certificatePEM,
            encCertificatePEM: record.encCertificatePEM, commonName: record.commonName,
            subjectAlternativeNames: record.subjectAlternativeNames, issuer: record.issuer, serialNumber: record.serialNumber,
            fingerprintSHA1: record.fingerprintSHA1, fingerprintSHA256: record.fingerprintSHA256,
            keyAlgorithm: record.keyAlgorithm, keyBits: record.keyBits,
            notBefore: Date(timeIntervalSince1970: TimeInterval(record.notBefore)),
            notAfter: Date(timeIntervalSince1970: TimeInterval(record.notAfter)),
            createdAt: Date(timeIntervalSince1970: TimeInterval(record.createdAt)),
            updatedAt: Date(timeIntervalSince1970: TimeInterval(record.updatedAt)),
            storeCertificateID: source?.first, storeCertificateName: source?.last,
            resourceGroupID: record.resourceGroupID, tags: tags)
    }

    /// The given name if valid; without one, the leaf's common name when it is a valid name (the doc examples name
    /// certificates after their CN), else `certificate`.
    private static func name(_ given: String?, default commonName: String?) throws -> String {
        if let given, !given.isEmpty {
            guard NameRules.isValidCertificateName(given) else { throw ControlPlaneError.invalidName(given) }
            return given
        }
        if let commonName, NameRules.isValidServerCertificateRename(commonName) { return commonName }
        return "certificate"
    }

    /// `<account>_<hex ms>_<n>_<n>`, the shape of Alibaba server certificate ids; the account part is derived from
    /// the region's project id, so it is stable per installation and region.
    static func serverCertificateID(region: Region, at date: Date) -> String {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let account = UInt64(region.projectID.prefix(13), radix: 16).map { String($0 % 10_000_000_000_000_000) } ?? "1"
        var generator = SystemRandomNumberGenerator()
        return "\(account)_\(String(milliseconds, radix: 16))_\(UInt32.random(in: 1_000_000_000...UInt32.max, using: &generator))_"
            + "\(Int32.random(in: Int32.min..<0, using: &generator))"
    }

    /// `<hex ms>-<region>-<nn>`, the shape of Alibaba CA certificate ids.
    static func caCertificateID(region: Region, at date: Date) -> String {
        let milliseconds = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        return "\(String(milliseconds, radix: 16))-\(region.id)-\(Identifiers.hex(4))"
    }
}
