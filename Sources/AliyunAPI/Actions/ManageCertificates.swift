import ControlPlane

/// Deletes a server certificate unless a listener or domain extension uses it.
enum DeleteServerCertificate: Action {
    static let name = "DeleteServerCertificate"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.certificates.delete(
            try context.parameters.required("ServerCertificateId"), kind: .server, regionID: context.regionID)
        return []
    }
}

/// Deletes a CA certificate unless a listener uses it.
enum DeleteCACertificate: Action {
    static let name = "DeleteCACertificate"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.certificates.delete(try context.parameters.required("CACertificateId"), kind: .ca, regionID: context.regionID)
        return []
    }
}

/// Renames a server certificate (`*` and `/` allowed, so `*.example.com` works).
enum SetServerCertificateName: Action {
    static let name = "SetServerCertificateName"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.certificates.rename(
            try context.parameters.required("ServerCertificateId"), kind: .server, regionID: context.regionID,
            to: try context.parameters.required("ServerCertificateName"))
        return []
    }
}

/// Renames a CA certificate (upload naming rule).
enum SetCACertificateName: Action {
    static let name = "SetCACertificateName"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        try await context.certificates.rename(
            try context.parameters.required("CACertificateId"), kind: .ca, regionID: context.regionID,
            to: try context.parameters.required("CACertificateName"))
        return []
    }
}
