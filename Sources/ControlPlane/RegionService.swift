import Foundation
package import Storage

/// Keeps the configured regions in the store and answers which ones exist.
package struct RegionService: Sendable {
    let store: Store

    package init(store: Store) {
        self.store = store
    }

    /// Makes sure every configured region exists. A region's project id is generated once and then kept,
    /// unless `pinnedProjects` (`--huawei-project REGION=ID`) names one.
    package func configure(_ definitions: [RegionDefinition], pinnedProjects: [String: String] = [:]) async throws {
        let existing = Dictionary(uniqueKeysWithValues: try await self.store.regions.all().map { ($0.id, $0) })
        for definition in definitions {
            let projectID = pinnedProjects[definition.id] ?? existing[definition.id]?.projectID ?? Identifiers.hex(32)
            let record = RegionRecord(
                id: definition.id, localName: definition.localName, projectID: projectID,
                keyPolicy: definition.keyPolicyName.rawValue, createdAt: existing[definition.id]?.createdAt ?? Int64(Date().timeIntervalSince1970))
            if existing[definition.id] != record {
                try await self.store.regions.upsert(record)
            }
        }
    }

    /// Every region in the store, by id.
    package func all() async throws -> [Region] {
        try await self.store.regions.all().map(Self.region)
    }

    /// One region, or `nil` if it is not served here.
    package func get(_ id: String) async throws -> Region? {
        try await self.store.regions.get(id).map(Self.region)
    }

    /// One region, or ``ControlPlaneError/regionNotAuthorized(_:)``.
    package func require(_ id: String) async throws -> Region {
        guard let region = try await self.get(id) else { throw ControlPlaneError.regionNotAuthorized(id) }
        return region
    }

    /// The region a Huawei project id names, or ``ControlPlaneError/regionNotAuthorized(_:)``.
    package func region(forProject projectID: String) async throws -> Region {
        guard let record = try await self.store.regions.all().first(where: { $0.projectID == projectID }) else {
            throw ControlPlaneError.regionNotAuthorized(projectID)
        }
        return Self.region(record)
    }

    /// Whether responses may echo private keys in this region (Huawei private-key echo; off by default).
    package func privateKeyEcho(_ regionID: String) async throws -> Bool {
        try await self.store.regions.privateKeyEcho(regionID)
    }

    package func setPrivateKeyEcho(_ regionID: String, _ on: Bool) async throws {
        _ = try await self.require(regionID)
        try await self.store.regions.setPrivateKeyEcho(regionID, on)
    }

    private static func region(_ record: RegionRecord) -> Region {
        Region(id: record.id, localName: record.localName, projectID: record.projectID,
               keyPolicyName: KeyPolicyName(rawValue: record.keyPolicy) ?? .aliyun)
    }
}
