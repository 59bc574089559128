import ControlPlane

/// The regions served here. `RegionEndpoint` is the host the client called, so SDKs can keep using it.
enum DescribeRegions: Action {
    static let name = "DescribeRegions"

    static func handle(_ context: ActionContext) async throws -> [(String, JSON)] {
        let regions = try await context.regions.all()
        return [("Regions", .wrapped("Region", regions.map {
            ["RegionId": .string($0.id), "RegionEndpoint": .string(context.host), "LocalName": .string($0.localName)]
        }))]
    }
}
