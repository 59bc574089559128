package import Storage

/// A tag on a resource, as ListTagResources reports it.
package struct ResourceTag: Hashable, Sendable {
    package var resourceType: String
    package var resourceID: String
    package var tag: Tag
}

/// Tags on resources: `certificate` (server and CA certificates), `instance` (load balancers) and `listener`
/// (resource id `<LoadBalancerId>_<protocol>_<port>`).
package struct TagService: Sendable {
    package static let supportedTypes: Set<String> = ["certificate", "instance", "listener"]

    let store: Store

    package init(store: Store) {
        self.store = store
    }

    /// Adds or overwrites tags on every resource; refused whole if any resource is unknown or would hold more
    /// than 20 tags.
    package func tag(_ resourceIDs: [String], type: String, regionID: String, tags: [Tag]) async throws {
        try await self.validate(resourceIDs, type: type, regionID: regionID)
        guard !tags.isEmpty else { throw ControlPlaneError.missingTagKey }
        try TagRules.validate(tags)
        do {
            try await self.store.tags.set(tags.map { ($0.key, $0.value) }, on: resourceIDs, type: type, regionID: regionID,
                                          limit: TagRules.maximumTags)
        } catch StorageError.limitExceeded {
            throw ControlPlaneError.tooManyTags(limit: TagRules.maximumTags)
        }
    }

    /// Removes the given keys, or every tag when `keys` is empty and `all` is true (or `keys` is empty).
    package func untag(_ resourceIDs: [String], type: String, regionID: String, keys: [String], all: Bool) async throws {
        try await self.validate(resourceIDs, type: type, regionID: regionID)
        guard keys.count <= TagRules.maximumTags else { throw ControlPlaneError.tooManyTags(limit: TagRules.maximumTags) }
        try await self.store.tags.remove(keys: keys.isEmpty ? nil : keys, from: resourceIDs, type: type)
    }

    /// One row per (resource, tag). `resourceIDs` narrows to those resources; `tags` keeps resources that carry
    /// every given tag (an empty value matches any value of the key).
    package func list(type: String, regionID: String, resourceIDs: [String], tags: [Tag]) async throws -> [ResourceTag] {
        guard Self.supportedTypes.contains(type) else { throw ControlPlaneError.unsupportedResourceType(type) }
        _ = try await RegionService(store: self.store).require(regionID)
        let rows = try await self.store.tags.list(type: type, regionID: regionID, resourceIDs: resourceIDs.isEmpty ? nil : resourceIDs)
        let byResource = Dictionary(grouping: rows, by: \.resourceID)
        let wanted = byResource.filter { _, own in
            tags.allSatisfy { tag in own.contains { $0.key == tag.key && (tag.value.isEmpty || $0.value == tag.value) } }
        }
        return rows.filter { wanted[$0.resourceID] != nil }
            .map { ResourceTag(resourceType: $0.resourceType, resourceID: $0.resourceID, tag: Tag(key: $0.key, value: $0.value)) }
    }

    private func validate(_ resourceIDs: [String], type: String, regionID: String) async throws {
        guard Self.supportedTypes.contains(type) else { throw ControlPlaneError.unsupportedResourceType(type) }
        _ = try await RegionService(store: self.store).require(regionID)
        guard !resourceIDs.isEmpty else { throw ControlPlaneError.invalidParameter(name: "ResourceId", reason: "at least one is required") }
        guard resourceIDs.count <= 20 else { throw ControlPlaneError.invalidParameter(name: "ResourceId", reason: "at most 20 are allowed") }
        let found: Set<String>
        switch type {
        case "certificate":
            found = Set(try await self.store.certificates.list(CertificateQuery(regionID: regionID, ids: resourceIDs)).map(\.id))
        case "instance":
            found = Set(try await self.store.loadBalancers.list(regionID: regionID, ids: resourceIDs).map(\.id))
        default:
            let balancers = try await self.store.loadBalancers.list(regionID: regionID).map(\.id)
            found = Set(try await self.store.loadBalancers.listeners(of: balancers).map { "\($0.loadBalancerID)_\($0.protocol)_\($0.port)" })
        }
        if let missing = resourceIDs.first(where: { !found.contains($0) }) {
            throw ControlPlaneError.resourceNotFound(type: type, id: missing)
        }
    }
}
