import ArgumentParser
import Foundation
import GatehouseServer
import Storage

/// Where the data lives; shared by every command that opens the store.
struct StorageOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database and the generated master key.")
    var dataDirectory: String = ProcessInfo.processInfo.environment["GATEHOUSE_DATA_DIR"] ?? "gatehouse-data"

    @Option(name: .customLong("database-url"), help: "postgres://user@host:port/db for cluster mode (default: SQLite in --data-dir; env GATEHOUSE_DATABASE_URL).")
    var databaseURLOption: String?

    /// `--database-url`, else `GATEHOUSE_DATABASE_URL`.
    var databaseURL: String? { self.databaseURLOption ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATABASE_URL"] }

    func validate() throws {
        if let url = self.databaseURL, !(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") || url.hasPrefix("sqlite:")) {
            throw ValidationError("--database-url must start with postgres:// (or sqlite:PATH)")
        }
    }

    /// Opens the store these options name, runs `body`, and closes it.
    func withStore<T: Sendable>(_ logging: LoggingOptions, _ body: @Sendable (Store) async throws -> T) async throws -> T {
        try await StorageOpening.withStore(
            dataDirectory: self.dataDirectory, databaseURL: self.databaseURL, logger: logging.makeLogger(), body)
    }
}
