import Crypto
import Foundation
import Logging
import Storage
import Testing

/// The two engines every repository test runs on.
///
/// PostgreSQL comes from `GATEHOUSE_TEST_POSTGRES_URL` (scripts/test.sh starts a throwaway server and sets it).
/// Without it the PostgreSQL cases are skipped, unless `GATEHOUSE_REQUIRE_POSTGRES=1`, as in CI, where a missing
/// server is a failure.
enum Engine: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static let postgresURL = ProcessInfo.processInfo.environment["GATEHOUSE_TEST_POSTGRES_URL"]
    static let postgresRequired = ProcessInfo.processInfo.environment["GATEHOUSE_REQUIRE_POSTGRES"] == "1"

    /// The engines to run: SQLite always, PostgreSQL when configured or required.
    static var available: [Engine] {
        postgresURL != nil || postgresRequired ? [.sqlite, .postgres] : [.sqlite]
    }

    var testDescription: String { self.rawValue }

    /// Opens a fresh, empty store on this engine: a new SQLite file, or a new PostgreSQL schema.
    func withStore<T: Sendable>(
        masterKey: SymmetricKey = SymmetricKey(size: .bits256),
        directory: URL? = nil,
        _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        var logger = Logger(label: "storage-tests")
        logger.logLevel = .warning
        switch self {
        case .sqlite:
            let directory = directory ?? Self.temporaryDirectory()
            return try await Store.withStore(
                .sqlite(path: directory.appendingPathComponent("gatehouse.sqlite").path), masterKey: masterKey,
                logger: logger, body)
        case .postgres:
            let url = try #require(Self.postgresURL, "GATEHOUSE_REQUIRE_POSTGRES=1 but GATEHOUSE_TEST_POSTGRES_URL is not set")
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            return try await Store.withStore(
                .postgres(try PostgresURL(url)), masterKey: masterKey, schema: String(schema), logger: logger, body)
        }
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
