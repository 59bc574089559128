import ControlPlane

/// Uploads a CA certificate for mutual authentication (seed 000/003); no key.
enum UploadCACertificate: Action {
    static let name = "UploadCACertificate"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        var upload = CertificateUpload(regionID: context.regionID)
        upload.name = context.parameters.optional("CACertificateName")
        upload.certificatePEM = context.parameters["CACertificate"]
        upload.resourceGroupID = context.parameters.optional("ResourceGroupId")
        upload.tags = try context.parameters.tags()
        let certificate = try await context.certificates.uploadCA(upload)
        return certificate.clbCAFields
    }
}
