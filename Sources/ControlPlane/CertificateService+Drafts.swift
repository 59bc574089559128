package import Certificates
import Foundation
package import Storage

/// A certificate as the Huawei-style API describes it: typed (`server`, CA, SM dual), named, described, with an
/// optional SNI domain list. Nil fields mean "not given" (on update: "keep").
package struct CertificateDraft: Sendable {
    package var regionID: String
    package var kind: CertificateKind
    package var name: String?
    package var description: String?
    /// Comma-separated domains (at most 100) the certificate serves by SNI; each must be covered by it.
    package var domain: String?
    package var certificatePEM: String?
    package var privateKeyPEM: String?
    package var encCertificatePEM: String?
    package var encPrivateKeyPEM: String?

    package init(regionID: String, kind: CertificateKind) {
        self.regionID = regionID
        self.kind = kind
    }
}

extension CertificateService {
    /// Creates a certificate of any of the three types of seed 004, checked against `keyPolicy`.
    ///
    /// `server` needs a certificate and its key; a CA (`client`) needs a certificate, and a key, if sent, must be
    /// valid PEM; `server_sm` needs the SM2 signing pair and the SM2 encryption pair, each with the key usage of
    /// its role. Expired certificates are accepted (and reported by their expiry time).
    package func create(_ draft: CertificateDraft, keyPolicy: KeyPolicy = .huawei) async throws -> Certificate {
        let region = try await RegionService(store: self.store).require(draft.regionID)
        let checked = try self.check(draft, keyPolicy: keyPolicy)
        let now = self.now()
        let id = Identifiers.hex(32)
        let record = Self.record(
            id: id, regionID: region.id, draft: draft, checked: checked, createdAt: now, updatedAt: now)
        let quota = draft.kind == .ca ? self.limits.caCertificatesPerRegion : self.limits.serverCertificatesPerRegion
        do {
            try await self.store.certificates.insert(record, keys: checked.keys, quota: quota)
        } catch StorageError.limitExceeded {
            throw ControlPlaneError.quotaExceeded(draft.kind, limit: quota)
        }
        return try Self.certificate(record, tags: [])
    }

    /// Changes a certificate in place: name, description, domain, and content (certificate and keys). The id stays,
    /// so every listener using it serves the new content without being touched. The type cannot change.
    package func update(_ id: String, regionID: String, _ change: CertificateDraft, keyPolicy: KeyPolicy = .huawei) async throws
        -> Certificate
    {
        guard let current = try await self.store.certificates.get(id, regionID: regionID),
            let kind = CertificateKind(rawValue: current.kind)
        else { throw ControlPlaneError.certificateNotFound(.server, id: id) }
        let stored = try await self.store.certificates.privateKeys(of: id) ?? PrivateKeyMaterial(privateKeyPEM: nil)
        var merged = CertificateDraft(regionID: regionID, kind: kind)
        merged.name = change.name ?? current.name
        merged.description = change.description ?? current.description
        merged.domain = change.domain ?? current.domain
        let contentChanged = change.certificatePEM != nil || change.privateKeyPEM != nil || change.encCertificatePEM != nil
            || change.encPrivateKeyPEM != nil
        if kind != .serverSM, change.encCertificatePEM != nil || change.encPrivateKeyPEM != nil {
            throw ControlPlaneError.encryptionPairOnlyForSM
        }
        merged.certificatePEM = change.certificatePEM ?? current.certificatePEM
        merged.privateKeyPEM = change.privateKeyPEM ?? stored.privateKeyPEM
        merged.encCertificatePEM = change.encCertificatePEM ?? current.encCertificatePEM
        merged.encPrivateKeyPEM = change.encPrivateKeyPEM ?? stored.encPrivateKeyPEM
        let checked = try self.check(merged, keyPolicy: keyPolicy)
        let record = Self.record(
            id: id, regionID: regionID, draft: merged, checked: checked,
            createdAt: Date(timeIntervalSince1970: TimeInterval(current.createdAt)), updatedAt: self.now())
        try await self.store.certificates.replace(record, keys: contentChanged ? checked.keys : nil)
        let tags = try await self.store.tags.list(type: "certificate", regionID: regionID, resourceIDs: [id])
        return try Self.certificate(record, tags: tags.map { Tag(key: $0.key, value: $0.value) })
    }

    /// The decrypted keys of a certificate, for callers that may show them (Huawei private-key echo).
    package func privateKeys(of id: String) async throws -> PrivateKeyMaterial {
        try await self.store.certificates.privateKeys(of: id) ?? PrivateKeyMaterial(privateKeyPEM: nil)
    }

    /// Deletes several certificates; each result says whether it was deleted, not found, or refused (in use).
    package func delete(_ ids: [String], regionID: String) async throws -> [(id: String, result: Result<Void, ControlPlaneError>)] {
        var results: [(String, Result<Void, ControlPlaneError>)] = []
        for id in ids {
            guard let record = try await self.store.certificates.get(id, regionID: regionID),
                let kind = CertificateKind(rawValue: record.kind)
            else {
                results.append((id, .failure(.certificateNotFound(.server, id: id))))
                continue
            }
            do {
                try await self.delete(id, kind: kind, regionID: regionID)
                results.append((id, .success(())))
            } catch let error as ControlPlaneError {
                results.append((id, .failure(error)))
            }
        }
        return results
    }

    // MARK: - Checks

    struct Checked {
        var leaf: CertificateInfo
        var chainPEM: String
        var encChainPEM: String?
        var keys: PrivateKeyMaterial
    }

    private func check(_ draft: CertificateDraft, keyPolicy: KeyPolicy) throws -> Checked {
        if let name = draft.name, name.count > 255 { throw ControlPlaneError.invalidParameter(name: "name", reason: "at most 255 characters") }
        if let description = draft.description, description.count > 255 {
            throw ControlPlaneError.invalidParameter(name: "description", reason: "at most 255 characters")
        }
        guard let certificatePEM = draft.certificatePEM, !certificatePEM.allSatisfy(\.isWhitespace) else {
            throw ControlPlaneError.missingParameter("certificate")
        }
        let hasEnc = draft.encCertificatePEM != nil || draft.encPrivateKeyPEM != nil
        switch draft.kind {
        case .ca:
            if hasEnc { throw ControlPlaneError.encryptionPairOnlyForSM }
            let bundle = try self.readChecked(certificatePEM, key: nil, policy: .any)
            if let key = draft.privateKeyPEM, !key.allSatisfy(\.isWhitespace) {
                do { _ = try CertificateBundle.readKey(key) } catch { throw ControlPlaneError.invalidCertificate(error, field: .privateKey) }
            }
            return Checked(leaf: bundle.leaf.info, chainPEM: bundle.chain.map(\.pem).joined(), keys: PrivateKeyMaterial(privateKeyPEM: nil))
        case .server:
            if hasEnc { throw ControlPlaneError.encryptionPairOnlyForSM }
            let bundle = try self.readChecked(certificatePEM, key: try Self.required(draft.privateKeyPEM, "private_key"), policy: keyPolicy)
            try Self.checkDomains(draft.domain, covered: bundle.leaf.info)
            return Checked(leaf: bundle.leaf.info, chainPEM: bundle.chain.map(\.pem).joined(),
                           keys: PrivateKeyMaterial(privateKeyPEM: draft.privateKeyPEM))
        case .serverSM:
            let signKey = try Self.required(draft.privateKeyPEM, "private_key")
            let encPEM = try Self.required(draft.encCertificatePEM, "enc_certificate")
            let encKey = try Self.required(draft.encPrivateKeyPEM, "enc_private_key")
            let sm2Only = KeyPolicy(rsaBits: [], curves: [], allowsSM2: true)
            let signing = try self.readChecked(certificatePEM, key: signKey, policy: sm2Only)
            let encryption: CertificateBundle
            do {
                encryption = try self.readChecked(encPEM, key: encKey, policy: sm2Only)
            } catch ControlPlaneError.invalidCertificate(let error, let field) {
                throw ControlPlaneError.invalidCertificate(
                    error, field: field == .privateKey ? .encryptionPrivateKey : .encryptionCertificate)
            }
            let signUsage = signing.leaf.info.keyUsage
            guard signUsage.isEmpty || signUsage.contains("digitalSignature") else {
                throw ControlPlaneError.keyUsageMismatch(field: .certificate, needed: "digitalSignature")
            }
            let encUsage = Set(encryption.leaf.info.keyUsage)
            guard encUsage.isEmpty || !encUsage.isDisjoint(with: ["keyEncipherment", "dataEncipherment", "keyAgreement"]) else {
                throw ControlPlaneError.keyUsageMismatch(field: .encryptionCertificate, needed: "keyEncipherment, dataEncipherment or keyAgreement")
            }
            try Self.checkDomains(draft.domain, covered: signing.leaf.info)
            return Checked(leaf: signing.leaf.info, chainPEM: signing.chain.map(\.pem).joined(),
                           encChainPEM: encryption.chain.map(\.pem).joined(),
                           keys: PrivateKeyMaterial(privateKeyPEM: signKey, encPrivateKeyPEM: encKey))
        }
    }

    private static func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.allSatisfy(\.isWhitespace) else { throw ControlPlaneError.missingParameter(name) }
        return value
    }

    /// At most 100 comma-separated domains, each valid and covered by the certificate's names.
    private static func checkDomains(_ list: String?, covered leaf: CertificateInfo) throws {
        guard let list, !list.isEmpty else { return }
        let domains = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard domains.count <= 100, list.count <= 10_000 else {
            throw ControlPlaneError.invalidParameter(name: "domain", reason: "at most 100 domains")
        }
        for domain in domains {
            try DomainNames.validate(domain)
            guard leaf.domainNames.contains(where: { DomainNames.certificateName($0, covers: domain) }) else {
                throw ControlPlaneError.certificateDoesNotCoverDomain(domain: domain, certificateID: leaf.commonName ?? "the certificate")
            }
        }
    }

    private static func record(
        id: String, regionID: String, draft: CertificateDraft, checked: Checked, createdAt: Date, updatedAt: Date
    ) -> CertificateRecord {
        let leaf = checked.leaf
        return CertificateRecord(
            id: id, regionID: regionID, kind: draft.kind.rawValue, name: draft.name ?? "", description: draft.description ?? "",
            domain: draft.domain.flatMap { $0.isEmpty ? nil : $0 }, certificatePEM: checked.chainPEM,
            encCertificatePEM: checked.encChainPEM, commonName: leaf.commonName, subjectAlternativeNames: leaf.dnsNames,
            issuer: leaf.issuer, serialNumber: leaf.serialNumber, fingerprintSHA1: leaf.sha1Fingerprint,
            fingerprintSHA256: leaf.sha256Fingerprint, keyAlgorithm: leaf.key.algorithm, keyBits: leaf.key.bits ?? 0,
            notBefore: Int64(leaf.notBefore.timeIntervalSince1970), notAfter: Int64(leaf.notAfter.timeIntervalSince1970),
            createdAt: Int64(createdAt.timeIntervalSince1970), updatedAt: Int64(updatedAt.timeIntervalSince1970))
    }
}
