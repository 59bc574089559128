package import Certificates
import Foundation
package import Storage

/// An entry of the operator's certificate store, without its key.
package struct StoreCertificate: Hashable, Sendable {
    package var id: String
    package var name: String
    package var regionID: String
    package var info: CertificateInfo
}

/// The operator's certificate store: what Alibaba's certificate manager is to CLB. `gatehouse store add` fills it;
/// `UploadServerCertificate` with `AliCloudCertificateId` imports from it. It holds server certificates only
/// (seed 003: the certificate manager "does not support CA certificates").
package struct StoreCertificateService: Sendable {
    let store: Store

    package init(store: Store) {
        self.store = store
    }

    /// Adds a certificate and key after the same checks as an upload (any key type the product can describe).
    package func add(name: String, regionID: String, certificatePEM: String, privateKeyPEM: String) async throws -> StoreCertificate {
        guard NameRules.isValidServerCertificateRename(name) else { throw ControlPlaneError.invalidName(name) }
        let bundle: CertificateBundle
        do {
            bundle = try CertificateBundle.read(certificates: certificatePEM, privateKey: privateKeyPEM)
        } catch {
            throw ControlPlaneError.invalidCertificate(error, field: .certificate)
        }
        if let defect = CertificateValidator().check(bundle, policy: .any, now: Date()).firstDefect {
            throw ControlPlaneError.invalidCertificate(defect, field: defect == .keyDoesNotMatchLeaf ? .privateKey : .certificate)
        }
        var generator = SystemRandomNumberGenerator()
        let id = String(UInt32.random(in: 1_000_000...9_999_999, using: &generator))
        try await self.store.storeCertificates.insert(StoreCertificateRecord(
            id: id, name: name, regionID: regionID, certificatePEM: certificatePEM, privateKeyPEM: privateKeyPEM,
            createdAt: Int64(Date().timeIntervalSince1970)))
        return StoreCertificate(id: id, name: name, regionID: regionID, info: bundle.leaf.info)
    }

    /// Every entry.
    package func all() async throws -> [StoreCertificate] {
        try await self.store.storeCertificates.all().compactMap { record in
            guard let bundle = try? CertificateBundle.read(certificates: record.certificatePEM, privateKey: nil) else { return nil }
            return StoreCertificate(id: record.id, name: record.name, regionID: record.regionID, info: bundle.leaf.info)
        }
    }
}
