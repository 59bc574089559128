import ControlPlane
import Foundation
import Storage

/// What an action handler gets: the parameters, the services (`context.certificates`, `context.listeners`, ...
/// through ``Services``), and the facts of this request.
@dynamicMemberLookup
struct ActionContext: Sendable {
    var parameters: RPCParameters
    var services: Services
    /// The Host the client used, echoed as `RegionEndpoint`.
    var host: String
    /// Used when a call carries no `RegionId` (the new SDK omits it unless the caller sets it).
    var defaultRegionID: String

    /// `RegionId`, or the default region.
    var regionID: String { self.parameters.optional("RegionId") ?? self.defaultRegionID }

    subscript<T>(dynamicMember keyPath: KeyPath<Services, T>) -> T { self.services[keyPath: keyPath] }
}

/// One CLB operation: decode parameters, make one ControlPlane call, encode the response members (the router adds
/// `RequestId`).
protocol Action: Sendable {
    static var name: String { get }
    static func handle(_ context: ActionContext) async throws -> [(String, JSON)]
}

extension Certificate {
    /// `YYYY-MM-DDThh:mm:ssZ` and epoch milliseconds, as CLB shows times.
    static func clbTime(_ date: Date) -> JSON {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return .string(formatter.string(from: date))
    }

    static func clbTimestamp(_ date: Date) -> JSON { .number(Int64(date.timeIntervalSince1970) * 1000) }

    /// Fields common to every certificate shape.
    var clbTimes: [(String, JSON)] {
        [
            ("CreateTime", Self.clbTime(self.createdAt)), ("CreateTimeStamp", Self.clbTimestamp(self.createdAt)),
            ("ExpireTime", Self.clbTime(self.notAfter)), ("ExpireTimeStamp", Self.clbTimestamp(self.notAfter)),
        ]
    }

    var clbTags: JSON {
        .wrapped("Tag", self.tags.map { ["TagKey": .string($0.key), "TagValue": .string($0.value)] })
    }

    /// The server certificate shape of UploadServerCertificate and DescribeServerCertificates.
    var clbServerFields: [(String, JSON)] {
        [
            ("ServerCertificateId", .string(self.id)), ("ServerCertificateName", .string(self.name)),
            ("RegionId", .string(self.regionID)), ("ResourceGroupId", .text(self.resourceGroupID)),
            ("Fingerprint", .string(self.fingerprintSHA1)), ("CommonName", .text(self.commonName)),
            ("SubjectAlternativeNames", .wrapped("SubjectAlternativeName", self.subjectAlternativeNames.map { .string($0) })),
        ] + self.clbTimes + [
            ("IsAliCloudCertificate", .number(self.storeCertificateID == nil ? 0 : 1)),
            ("AliCloudCertificateId", .text(self.storeCertificateID)),
            ("AliCloudCertificateName", .text(self.storeCertificateName)),
        ]
    }

    /// The CA certificate shape of UploadCACertificate and DescribeCACertificates.
    var clbCAFields: [(String, JSON)] {
        [
            ("CACertificateId", .string(self.id)), ("CACertificateName", .string(self.name)),
            ("ResourceGroupId", .text(self.resourceGroupID)), ("Fingerprint", .string(self.fingerprintSHA1)),
            ("CommonName", .text(self.commonName)),
        ] + self.clbTimes
    }
}
