import ControlPlane

/// Uploads a server certificate and key (seed 001), or imports one from the operator's store by
/// `AliCloudCertificateId` (seed 003).
enum UploadServerCertificate: Action {
    static let name = "UploadServerCertificate"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let parameters = context.parameters
        var upload = CertificateUpload(regionID: context.regionID)
        upload.name = parameters.optional("ServerCertificateName") ?? parameters.optional("AliCloudCertificateName")
        upload.certificatePEM = parameters["ServerCertificate"]
        upload.privateKeyPEM = parameters["PrivateKey"]
        upload.resourceGroupID = parameters.optional("ResourceGroupId")
        upload.tags = try parameters.tags()
        upload.storeCertificateID = parameters.optional("AliCloudCertificateId")
        upload.storeCertificateRegionID = parameters.optional("AliCloudCertificateRegionId")
        if upload.storeCertificateID == nil, upload.storeCertificateRegionID != nil || parameters.optional("AliCloudCertificateName") != nil,
            parameters.optional("ServerCertificate") == nil
        {
            throw AliyunError(ControlPlaneError.storeCertificateNotFound(""))
        }
        let certificate = try await context.certificates.uploadServer(upload)
        return certificate.clbServerFields
    }
}
