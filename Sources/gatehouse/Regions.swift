import ArgumentParser
import Foundation
import ControlPlane
import GatehouseServer

/// `gatehouse regions`: the regions in the store with their Huawei project ids.
struct Regions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List regions and their Huawei project ids.")
    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let regions = try await self.storage.withStore(self.logging) { store in try await RegionService(store: store).all() }
        if regions.isEmpty { print("No regions yet: they are created when `gatehouse serve` first starts.") }
        for region in regions {
            print("\(region.id.padding(toLength: 16, withPad: " ", startingAt: 0))  \(region.projectID)  \(region.localName)")
        }
    }
}
