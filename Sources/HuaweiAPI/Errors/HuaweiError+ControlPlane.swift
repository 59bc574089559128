import Certificates
import ControlPlane
import HTTPTypes

/// The one place ControlPlane rules become ELB v3 codes: 400 `ELB.8902` for invalid input, 404 `ELB.8904` for
/// what does not exist, 409 `ELB.8907` for conflicts and resources in use (research/huawei-elb.md 1.7). No
/// `default:`: a new rule must be mapped here to compile.
extension HuaweiError {
    init(_ error: ControlPlaneError) {
        switch error {
        case .regionNotAuthorized(let project):
            self = .notFound("project", project)
        case .certificateOrKeyMissing:
            self = .invalid("certificate and private_key are required.")
        case .invalidCertificate(let rule, let field):
            self = .invalid("\(Self.fieldName(field)) is not valid: \(rule.description)")
        case .invalidName(let name):
            self = .invalid("The name \(name) is not valid.")
        case .quotaExceeded(let kind, let limit):
            self.init(.forbidden, "ELB.8905", "Quota exceeded: at most \(limit) \(kind.rawValue) certificates.")
        case .certificateNotFound(_, let id):
            self = .notFound("certificate", id)
        case .certificateInUse(let id):
            self.init(.conflict, "ELB.8907", "certificate \(id) is being used by listeners.")
        case .storeCertificateNotFound(let id):
            self = .notFound("scm certificate", id)
        case .storeHoldsNoCACertificates:
            self = .invalid("The certificate store holds no CA certificates.")
        case .invalidTagKey(let key):
            self = .invalid("Tag key \(key) is not valid.")
        case .invalidTagValue(let value):
            self = .invalid("Tag value \(value) is not valid.")
        case .missingTagKey:
            self = .invalid("Tag key is required.")
        case .tooManyTags(let limit):
            self = .invalid("At most \(limit) tags are allowed.")
        case .unsupportedResourceType(let type):
            self = .invalid("Resource type \(type) is not supported.")
        case .resourceNotFound(let type, let id):
            self = .notFound(type, id)
        case .invalidParameter(let name, let reason):
            self = .invalid("\(name) is not valid: \(reason).")
        case .missingParameter(let name):
            self = .invalid("\(name) is required.")
        case .loadBalancerNotFound(let id):
            self = .notFound("loadbalancer", id)
        case .deleteProtected(let id):
            self.init(.conflict, "ELB.8907", "loadbalancer \(id) has deletion protection enabled.")
        case .listenerNotFound(let id, let port):
            self = .notFound("listener", "\(id):\(port)")
        case .listenerAlreadyExists(let port):
            self.init(.conflict, "ELB.8907", "A listener on port \(port) already exists.")
        case .listenerQuotaExceeded(let limit):
            self.init(.forbidden, "ELB.8905", "Quota exceeded: at most \(limit) listeners.")
        case .listenerStatusConflict(let status, let operation):
            self.init(.conflict, "ELB.8907", "The listener is \(status); \(operation) is not allowed.")
        case .listenerBindFailed(let address, let port, let reason):
            self.init(.conflict, "ELB.8907", "\(address):\(port) cannot be bound: \(reason).")
        case .listenerProtocolMismatch(let expected):
            self = .invalid("The listener protocol must be \(expected.rawValue).")
        case .domainExtensionNotFound(let id):
            self = .notFound("domain extension", id)
        case .domainExtensionQuotaExceeded(let limit):
            self.init(.forbidden, "ELB.8905", "Quota exceeded: at most \(limit) SNI certificates.")
        case .domainExtensionAlreadyExists(let domain):
            self.init(.conflict, "ELB.8907", "Domain \(domain) is already bound.")
        case .invalidDomain(let domain):
            self = .invalid("domain \(domain) is not valid: labels of letters, digits and hyphens; * only as the first label.")
        case .certificateDoesNotCoverDomain(let domain, _):
            self = .invalid("domain \(domain) is not covered by the certificate.")
        case .backendServerNotFound(let id):
            self = .notFound("member", id)
        case .backendServerAlreadyExists(let id):
            self.init(.conflict, "ELB.8907", "member \(id) already exists.")
        case .tlsPolicyNotFound(let id):
            self = .notFound("security policy", id)
        case .tlsPolicyInUse(let id):
            self.init(.conflict, "ELB.8907", "security policy \(id) is being used by listeners.")
        case .tlsPolicyUnsupported(let reason):
            self = .invalid(reason)
        case .conflict(let reason):
            self.init(.conflict, "ELB.8907", reason)
        case .unsupported(let reason):
            self = .invalid(reason)
        case .smCertificateNotServable(let id):
            self = .invalid("certificate \(id) is of type server_sm: TLCP is not supported by this load balancer, so it cannot be bound.")
        case .encryptionPairOnlyForSM:
            self = .invalid("enc_certificate and enc_private_key are only allowed for certificates of type server_sm.")
        case .keyUsageMismatch(let field, let needed):
            self = .invalid("\(Self.fieldName(field)) must have the key usage \(needed).")
        }
    }

    private static func fieldName(_ field: CertificateField) -> String {
        switch field {
        case .certificate: "certificate"
        case .privateKey: "private_key"
        case .encryptionCertificate: "enc_certificate"
        case .encryptionPrivateKey: "enc_private_key"
        }
    }
}
