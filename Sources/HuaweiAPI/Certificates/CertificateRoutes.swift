import ControlPlane
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The certificate operations of ELB v3 (research/huawei-elb.md 1).
enum CertificateRoutes {
    /// What create and update carry (`{"certificate": {...}}`). Unknown fields are ignored.
    struct Option: Decodable {
        var type: String?
        var name: String?
        var description: String?
        var domain: String?
        var certificate: String?
        var privateKey: String?
        var encCertificate: String?
        var encPrivateKey: String?

        enum CodingKeys: String, CodingKey {
            case type, name, description, domain, certificate
            case privateKey = "private_key"
            case encCertificate = "enc_certificate"
            case encPrivateKey = "enc_private_key"
        }
    }

    struct Envelope: Decodable {
        var certificate: Option
    }

    static func kind(_ type: String?) throws -> CertificateKind {
        switch type ?? "server" {
        case "server": return .server
        case "client": return .ca
        case "server_sm": return .serverSM
        default: throw HuaweiError.invalid("type \(type ?? "") is not valid: server, client or server_sm.")
        }
    }

    static func create(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let option = try call.decode(Envelope.self).certificate
        var draft = CertificateDraft(regionID: call.region.id, kind: try Self.kind(option.type))
        draft.name = option.name
        draft.description = option.description
        draft.domain = option.domain
        draft.certificatePEM = option.certificate
        draft.privateKeyPEM = option.privateKey
        draft.encCertificatePEM = option.encCertificate
        draft.encPrivateKeyPEM = option.encPrivateKey
        let certificate = try await call.certificates.create(draft)
        return (.created, try await Self.envelope(certificate, call))
    }

    static func show(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        (.ok, try await Self.envelope(try await Self.find(call), call))
    }

    static func update(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let current = try await Self.find(call)
        let option = try call.decode(Envelope.self).certificate
        if let type = option.type, try Self.kind(type) != current.kind { throw HuaweiError.invalid("type cannot be changed.") }
        var change = CertificateDraft(regionID: call.region.id, kind: current.kind)
        change.name = option.name
        change.description = option.description
        change.domain = option.domain
        change.certificatePEM = option.certificate
        change.privateKeyPEM = option.privateKey
        change.encCertificatePEM = option.encCertificate
        change.encPrivateKeyPEM = option.encPrivateKey
        let updated = try await call.certificates.update(current.id, regionID: call.region.id, change)
        return (.ok, try await Self.envelope(updated, call))
    }

    static func delete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let certificate = try await Self.find(call)
        try await call.certificates.delete(certificate.id, kind: certificate.kind, regionID: call.region.id)
        return (.noContent, nil)
    }

    static func batchDelete(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        struct Request: Decodable { var certificates: [String] }
        let ids = try call.decode(Request.self).certificates
        guard (1...100).contains(ids.count) else { throw HuaweiError.invalid("certificates must list 1 to 100 ids.") }
        let results = try await call.certificates.delete(ids, regionID: call.region.id)
        let rows: [[String: Any]] = results.map { id, result in
            switch result {
            case .success: return ["id": id, "ret_status": "successful"]
            case .failure(.certificateNotFound): return ["id": id, "ret_status": "not found"]
            case .failure(let error):
                let wire = HuaweiError(error)
                return ["id": id, "ret_status": "failed", "ret_code": wire.code, "ret_msg": wire.message]
            }
        }
        return (.ok, try JSONSerialization.data(withJSONObject: ["certificates": rows]))
    }

    /// Filters (repeated keys, exact match) and marker pagination over certificates ordered by creation.
    static func list(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        var all: [Certificate] = []
        for kind in CertificateKind.allCases {
            all += try await call.certificates.list(regionID: call.region.id, kind: kind)
        }
        all.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        let echo = try await RegionService(store: call.store).privateKeyEcho(call.region.id)
        var items: [[String: Any]] = []
        for certificate in all { items.append(try await Self.object(certificate, call, echo: echo)) }
        return (.ok, try Listing.page(items, call: call, collection: "certificates"))
    }

    static func showEcho(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        let echo = try await RegionService(store: call.store).privateKeyEcho(call.region.id)
        return (.ok, try JSONSerialization.data(withJSONObject: ["private_key_echo": echo]))
    }

    static func setEcho(_ call: HuaweiAPI.Call) async throws -> (HTTPResponse.Status, Data?) {
        struct Request: Decodable {
            var privateKeyEcho: Bool
            enum CodingKeys: String, CodingKey { case privateKeyEcho = "private_key_echo" }
        }
        let echo = try call.decode(Request.self).privateKeyEcho
        try await RegionService(store: call.store).setPrivateKeyEcho(call.region.id, echo)
        return (.created, try JSONSerialization.data(withJSONObject: ["private_key_echo": echo]))
    }

    // MARK: - Shapes

    private static func find(_ call: HuaweiAPI.Call) async throws -> Certificate {
        try await Self.find(call.parameters.get("certificate_id") ?? "", call)
    }

    /// The certificate with this id, of any type.
    static func find(_ id: String, _ call: HuaweiAPI.Call) async throws -> Certificate {
        for kind in CertificateKind.allCases {
            if let found = try await call.certificates.list(regionID: call.region.id, kind: kind, ids: [id]).first { return found }
        }
        throw HuaweiError.notFound("certificate", id)
    }

    static func typeName(_ kind: CertificateKind) -> String {
        switch kind {
        case .server: "server"
        case .ca: "client"
        case .serverSM: "server_sm"
        }
    }

    private static func envelope(_ certificate: Certificate, _ call: HuaweiAPI.Call) async throws -> Data {
        let echo = try await RegionService(store: call.store).privateKeyEcho(call.region.id)
        return try JSONSerialization.data(withJSONObject: ["certificate": try await Self.object(certificate, call, echo: echo)])
    }

    /// CertificateInfo. Keys are returned only when the project turned private-key echo on; otherwise masked.
    private static func object(_ certificate: Certificate, _ call: HuaweiAPI.Call, echo: Bool) async throws -> [String: Any] {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let keys = echo ? try await call.certificates.privateKeys(of: certificate.id) : nil
        let mask = "******"
        var object: [String: Any] = [
            "id": certificate.id, "name": certificate.name, "description": certificate.description,
            "type": Self.typeName(certificate.kind), "certificate": certificate.certificatePEM,
            "private_key": certificate.kind == .ca ? "" : (keys?.privateKeyPEM ?? mask),
            "admin_state_up": true, "project_id": call.region.projectID, "enterprise_project_id": "0",
            "created_at": formatter.string(from: certificate.createdAt), "updated_at": formatter.string(from: certificate.updatedAt),
            "expire_time": formatter.string(from: certificate.notAfter), "scm_certificate_id": "", "source": "",
            "common_name": certificate.commonName ?? "", "fingerprint": certificate.fingerprintSHA256,
            "subject_alternative_names": certificate.subjectAlternativeNames, "protection_status": "nonProtection",
            "protection_reason": "",
        ]
        object["domain"] = certificate.domain ?? NSNull()
        if certificate.kind == .serverSM {
            object["enc_certificate"] = certificate.encCertificatePEM ?? ""
            object["enc_private_key"] = keys?.encPrivateKeyPEM ?? mask
        }
        return object
    }
}
