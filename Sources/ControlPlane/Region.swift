package import Certificates

/// A region: the scope in which certificates and load balancers live (seed 000: "Certificates in SLB are
/// regional resources"). A Huawei project maps to exactly one region through `projectID`.
package struct Region: Hashable, Sendable {
    /// The region id, e.g. `cn-hangzhou`.
    package var id: String
    /// The display name, e.g. `China (Hangzhou)`.
    package var localName: String
    /// The Huawei project id (32 lowercase hex characters).
    package var projectID: String
    /// The key policy for Alibaba-style server certificate uploads in this region.
    package var keyPolicyName: KeyPolicyName

    package init(id: String, localName: String, projectID: String, keyPolicyName: KeyPolicyName = .aliyun) {
        self.id = id
        self.localName = localName
        self.projectID = projectID
        self.keyPolicyName = keyPolicyName
    }

    package var keyPolicy: KeyPolicy { self.keyPolicyName.policy }
}

/// The named key policies an operator can give a region (`--key-policy REGION=NAME`).
package enum KeyPolicyName: String, Hashable, Sendable, CaseIterable {
    /// Seed 003: RSA 1024/2048/4096 only (the default).
    case aliyun
    /// The 2021 rules: RSA 1024/2048/4096 and ECDSA P-256/384/521.
    case aliyunECC = "aliyun-ecc"

    package var policy: KeyPolicy {
        switch self {
        case .aliyun: .aliyunRSAOnly
        case .aliyunECC: .aliyunWithECC
        }
    }
}

/// A region the operator asks for: `--region ID[=Local Name]`.
package struct RegionDefinition: Hashable, Sendable {
    package var id: String
    package var localName: String
    package var keyPolicyName: KeyPolicyName

    package init(id: String, localName: String, keyPolicyName: KeyPolicyName = .aliyun) {
        self.id = id
        self.localName = localName
        self.keyPolicyName = keyPolicyName
    }

    /// Parses `ID` or `ID=Local Name`.
    package init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard let id = parts.first, Self.isValidID(id) else { return nil }
        self.id = id
        self.localName = parts.count > 1 ? parts[1] : id
        self.keyPolicyName = .aliyun
    }

    /// Region ids are lowercase letters, digits and hyphens, as the clouds spell them.
    package static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
    }

    /// The regions served when the operator names none: real Alibaba region ids, so SDK examples work unchanged.
    package static let defaults: [RegionDefinition] = [
        .init(id: "cn-hangzhou", localName: "China (Hangzhou)"),
        .init(id: "cn-shanghai", localName: "China (Shanghai)"),
        .init(id: "cn-beijing", localName: "China (Beijing)"),
        .init(id: "cn-shenzhen", localName: "China (Shenzhen)"),
        .init(id: "cn-qingdao", localName: "China (Qingdao)"),
        .init(id: "cn-hongkong", localName: "China (Hong Kong)"),
        .init(id: "ap-southeast-1", localName: "Singapore"),
        .init(id: "eu-central-1", localName: "Germany (Frankfurt)"),
        .init(id: "us-west-1", localName: "US (Silicon Valley)"),
    ]
}
