/// A region: the scope of certificates and load balancers. `projectID` is its Huawei project id.
package struct RegionRecord: Hashable, Sendable, Codable {
    package var id: String
    package var localName: String
    package var projectID: String
    /// The name of the key policy Alibaba-style uploads are checked against (`aliyun`, `aliyun-ecc`).
    package var keyPolicy: String
    package var createdAt: Int64

    package init(id: String, localName: String, projectID: String, keyPolicy: String = "aliyun", createdAt: Int64) {
        self.id = id
        self.localName = localName
        self.projectID = projectID
        self.keyPolicy = keyPolicy
        self.createdAt = createdAt
    }
}

/// An access key: the id and secret the API signatures are made with. The secret is sealed at rest.
package struct AccessKeyRecord: Hashable, Sendable, CustomStringConvertible {
    package var id: String
    package var secret: String
    /// The operator's note.
    package var note: String
    package var createdAt: Int64

    package init(id: String, secret: String, note: String, createdAt: Int64) {
        self.id = id
        self.secret = secret
        self.note = note
        self.createdAt = createdAt
    }

    package var description: String { "AccessKey(\(self.id), <redacted>)" }
}
