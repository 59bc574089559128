import ControlPlane

/// Adds tags to resources (research/alibaba-clb.md 10).
enum TagResources: Action {
    static let name = "TagResources"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let parameters = context.parameters
        try await context.tags.tag(
            try parameters.list("ResourceId"), type: try parameters.required("ResourceType"), regionID: context.regionID,
            tags: try parameters.tags())
        return []
    }
}

/// Removes tags: the `TagKey.N` keys, or all of them when none are named (`All` only matters then).
enum UntagResources: Action {
    static let name = "UntagResources"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let parameters = context.parameters
        try await context.tags.untag(
            try parameters.list("ResourceId"), type: try parameters.required("ResourceType"), regionID: context.regionID,
            keys: try parameters.list("TagKey"), all: try parameters.bool("All") ?? false)
        return []
    }
}

/// One row per (resource, tag); `Tag.N` filters need a key ("If you set only Tag.N.Value, an error message is
/// returned"). Everything fits one page, so `NextToken` is empty.
enum ListTagResources: Action {
    static let name = "ListTagResources"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let parameters = context.parameters
        let type = try parameters.required("ResourceType")
        let rows = try await context.tags.list(
            type: type, regionID: context.regionID, resourceIDs: try parameters.list("ResourceId"), tags: try parameters.tags())
        return [
            ("NextToken", ""),
            ("TagResources", .wrapped("TagResource", rows.map {
                ["ResourceId": .string($0.resourceID), "ResourceType": .string(type), "TagKey": .string($0.tag.key),
                 "TagValue": .string($0.tag.value)]
            })),
        ]
    }
}
