import ControlPlane

/// Lists server certificates: metadata only, never PEM or keys. An unknown id gives an empty list, not an error
/// (Terraform relies on it).
enum DescribeServerCertificates: Action {
    static let name = "DescribeServerCertificates"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let certificates = try await context.certificates.list(
            regionID: context.regionID, kind: .server,
            ids: context.parameters.optional("ServerCertificateId").map { [$0] } ?? [],
            tags: try context.parameters.tags(), resourceGroupID: context.parameters.optional("ResourceGroupId"))
        return [("ServerCertificates", .wrapped("ServerCertificate", certificates.map {
            .object($0.clbServerFields + [("Tags", $0.clbTags)])
        }))]
    }
}

/// Lists CA certificates, like ``DescribeServerCertificates``.
enum DescribeCACertificates: Action {
    static let name = "DescribeCACertificates"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let certificates = try await context.certificates.list(
            regionID: context.regionID, kind: .ca,
            ids: context.parameters.optional("CACertificateId").map { [$0] } ?? [],
            tags: try context.parameters.tags(), resourceGroupID: context.parameters.optional("ResourceGroupId"))
        return [("CACertificates", .wrapped("CACertificate", certificates.map {
            .object($0.clbCAFields + [("RegionId", .string($0.regionID)), ("Tags", $0.clbTags)])
        }))]
    }
}
