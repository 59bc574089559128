import Certificates
import ControlPlane
import HTTPTypes

/// The one place ControlPlane rules become CLB wire codes. Seed 001's table is quoted verbatim; where the seed is
/// silent, research/alibaba-clb.md section 12. No `default:`: a new rule must be mapped here to compile.
extension AliyunError {
    init(_ error: ControlPlaneError) {
        switch error {
        case .regionNotAuthorized:
            self.init(.forbidden, "UnauthorizedRegion", "The specified region of is not authorized.")
        case .certificateOrKeyMissing:
            self.init(.badRequest, "InvalidParameter", "The specified parameter ServerCertificate or Key is empty.")
        case .invalidCertificate(let rule, let field):
            self = Self.certificateRule(rule, field: field)
        case .invalidName(let name):
            self.init(.badRequest, "InvalidParameter",
                      "The specified name \"\(name)\" is not valid: it must be 1 to 80 characters, start with a letter, and contain only letters, digits, periods, underscores and hyphens.")
        case .quotaExceeded(let kind, let limit):
            let what = kind == .ca ? "CACertificate" : "ServerCertificate"
            self.init(.badRequest, "QuotaExceeded.\(what)",
                      "The number of \(kind == .ca ? "CA" : "server") certificates in the region has reached the quota (\(limit)).")
        case .certificateNotFound(.ca, let id):
            self.init(.notFound, "CACertificateId.NotFound", "The specified CACertificateId \(id) does not exist.")
        case .certificateNotFound(.server, let id), .certificateNotFound(.serverSM, let id):
            self.init(.notFound, "ServerCertificateId.NotFound", "The specified ServerCertificateId \(id) does not exist.")
        case .certificateInUse:
            self.init(.badRequest, "CertificateAndPrivateKeyIsRefered",
                      "The specified certificate is bound to listeners. You cannot delete it.")
        case .storeCertificateNotFound:
            self.init(.badRequest, "InvalidParameter.AliCloudCertificateId", "The specified AliCloudCertificateId is invalid.")
        case .storeHoldsNoCACertificates:
            self.init(.badRequest, "InvalidParameter.AliCloudCertificateId",
                      "The specified AliCloudCertificateId is invalid: the certificate store holds no CA certificates.")
        case .invalidTagKey(let key):
            self.init(.badRequest, "InvalidParam.TagKey",
                      "The tag key \"\(key)\" is invalid: 1 to 64 characters, not starting with aliyun or acs:, without http:// or https://.")
        case .invalidTagValue(let value):
            self.init(.badRequest, "InvalidParam.TagValue",
                      "The tag value \"\(value)\" is invalid: at most 128 characters, not starting with aliyun or acs:, without http:// or https://.")
        case .missingTagKey:
            self.init(.badRequest, "MissingParam.TagKey", "The param MissingParam.TagKey is missing.")
        case .tooManyTags(let limit):
            self.init(.badRequest, "SizeLimitExceeded.Tag", "A resource can have at most \(limit) tags.")
        case .unsupportedResourceType(let type):
            self.init(.badRequest, "InvalidParameter", "The specified parameter \"ResourceType\" is not valid: \(type).")
        case .resourceNotFound(_, let id):
            self.init(.notFound, "InvalidResourceId.NotFound", "The specified resource \(id) is not found.")
        case .invalidParameter(let name, let reason):
            self = .invalidParameter(name, reason)
        case .missingParameter(let name):
            self = .missingParameter(name)
        case .smCertificateNotServable(let id):
            self.init(.badRequest, "ServerCertificate.NotSupport",
                      "The certificate \(id) is an SM dual certificate; TLCP is not supported by this load balancer.")
        case .encryptionPairOnlyForSM:
            self.init(.badRequest, "ServerCertificate.NotSupport", "SM dual certificates are not supported by this API.")
        case .keyUsageMismatch(_, let needed):
            self.init(.badRequest, "IllegalParam.ServerCertificate", "The specified server certificate is illegal: it needs the key usage \(needed).")
        case .loadBalancerNotFound(let id):
            self.init(.notFound, "InvalidLoadBalancerId.NotFound", "The specified LoadBalancerId \(id) does not exist.")
        case .deleteProtected:
            self.init(.badRequest, "OperationDenied.DeleteProtection", "The load balancer has delete protection on.")
        case .listenerNotFound:
            self.init(.notFound, "ListenerNotFound", "You have not created a listener for the specified port of the load balancer.")
        case .listenerAlreadyExists:
            self.init(.badRequest, "ListenerAlreadyExists", "A listener with the specified port already exists")
        case .listenerQuotaExceeded:
            self.init(.badRequest, "ListenerNumberOverLimit", "The maximum number of listeners is exceeded.")
        case .listenerStatusConflict(let status, let operation):
            self.init(.badRequest, "OperationFailed.ListenerStatusNotSupport",
                      "The listener is \(status); \(operation) is not allowed in that state.")
        case .conflict(let reason):
            self.init(.badRequest, "OperationDenied", reason)
        case .unsupported(let reason):
            self.init(.badRequest, "OperationUnsupported", reason)
        case .listenerBindFailed(let address, let port, let reason):
            self.init(.badRequest, "OperationFailed.ListenerPortUnavailable",
                      "The listener cannot be started: \(address):\(port) cannot be bound (\(reason)).")
        case .listenerProtocolMismatch(let expected):
            self.init(.badRequest, "InvalidParameter", "The operation needs a listener of protocol \(expected.rawValue).")
        case .domainExtensionNotFound(let id):
            self.init(.notFound, "InvalidDomainExtensionId.NotFound", "The specified DomainExtensionId \(id) does not exist.")
        case .domainExtensionQuotaExceeded(let limit):
            self.init(.badRequest, "DomainExtensionNumberOverLimit", "A listener can have at most \(limit) domain extensions.")
        case .domainExtensionAlreadyExists(let domain):
            self.init(.badRequest, "DomainExtensionAlreadyExists", "The listener already has a domain extension for \(domain).")
        case .invalidDomain(let domain):
            self.init(.badRequest, "InvalidParameter.Domain",
                      "The domain \(domain) is not valid: letters, digits, hyphens and periods, starting with a letter or digit; *. for a wildcard.")
        case .certificateDoesNotCoverDomain(let domain, let id):
            self.init(.badRequest, "InvalidParameter.DomainNotMatchCertificate",
                      "The certificate \(id) does not cover the domain \(domain).")
        case .backendServerNotFound(let id):
            self.init(.badRequest, "InvalidBackendServer.NotFound",
                      "The backend server \(id) is not found (ecs servers are registered with gatehouse server add).")
        case .backendServerAlreadyExists(let id):
            self.init(.badRequest, "BackendServer.AlreadyExist", "The backend server \(id) is already added.")
        case .tlsPolicyNotFound(let id):
            self.init(.notFound, "ResourceNotFound.TLSCipherPolicy", "The TLS cipher policy \(id) does not exist.")
        case .tlsPolicyInUse(let id):
            self.init(.badRequest, "ResourceInUse.TLSCipherPolicy", "The TLS cipher policy \(id) is used by listeners.")
        case .tlsPolicyUnsupported(let reason):
            self.init(.badRequest, "InvalidParameter.TLSCipherPolicy", "The TLS cipher policy cannot be served: \(reason).")
        }
    }

    /// Certificate rules, by the input they concern.
    private static func certificateRule(_ rule: CertificateError, field: CertificateField) -> AliyunError {
        let detail = " \(rule.description)"
        let keyField = field == .privateKey || field == .encryptionPrivateKey
        switch rule {
        case .encryptedPrivateKey:
            return AliyunError(.badRequest, "PrivateKeyEncryption", "Key has Encrypted ." + detail)
        case .dhParametersPresent:
            return AliyunError(.badRequest, "CertificateFormatInvalid", "The certificate format is invalid." + detail)
        case .keyDoesNotMatchLeaf:
            return AliyunError(.badRequest, "InvalidParameter", "The specified ServerCertificate and PrivateKey fail to validate.")
        case .keyNotAllowed(.rsa):
            return AliyunError(.badRequest, "OperationDenied.IllegalKeyLength",
                               "The operation is not allowed because the key length of certificate is illegal." + detail)
        case .keyNotAllowed(.ec):
            return AliyunError(.badRequest, "EccCertificateNotSupport", "The ECC certificate is not support.")
        case .keyNotAllowed(.sm2), .keyNotAllowed(.ed25519), .keyNotAllowed(.other):
            return AliyunError(.badRequest, "ServerCertificate.NotSupport", "The specified Region Not support ServerCertificate." + detail)
        case .emptyInput:
            return AliyunError(.badRequest, "InvalidParameter", "The specified parameter ServerCertificate or Key is empty.")
        case .inputTooLarge:
            return AliyunError(.badRequest, "InvalidParameterLength", "The specified parameter length is not valid." + detail)
        case .notPEM, .badBase64, .truncated, .blankLinesInChain, .unexpectedBlock, .noCertificate, .noPrivateKey,
            .malformedPrivateKey:
            if keyField {
                return AliyunError(.badRequest, "InvalidParameter", "The specified parameter key format is error." + detail)
            }
            return AliyunError(.badRequest, "CertificateFormatInvalid", "The certificate format is invalid." + detail)
        case .malformedCertificate, .chainMisordered, .tooManyCertificates, .expired, .notYetValid:
            return AliyunError(.badRequest, "IllegalParam.ServerCertificate", "The specified server certificate is illegal." + detail)
        }
    }
}
