import Foundation
package import Logging
package import Storage

/// Opens the store the way every command does: `--database-url` if given, else `gatehouse.sqlite` in the data
/// directory; the master key from the environment or the data directory.
package enum StorageOpening {
    package static func withStore<T: Sendable>(
        dataDirectory: String,
        databaseURL: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger,
        _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let masterKey = try MasterKey.load(dataDirectory: dataDirectory, environment: environment)
        let location: StoreLocation =
            if let databaseURL {
                try StoreLocation(databaseURL: databaseURL)
            } else {
                .sqlite(path: (dataDirectory as NSString).appendingPathComponent("gatehouse.sqlite"))
            }
        return try await Store.withStore(location, masterKey: masterKey, logger: logger, body)
    }
}
