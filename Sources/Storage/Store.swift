package import Crypto
package import Logging
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit

/// The database behind Gatehouse: one SQLite file, or PostgreSQL shared by several nodes.
///
/// Repositories (`store.certificates`, `store.regions`, ...) speak in plain records; no SQLKit or driver type
/// leaves this module. Writes go through ``transaction(_:)``, which also bumps the configuration revision that
/// the data plane follows.
package final class Store: Sendable {
    enum Backend: Sendable {
        case sqlite(SQLiteConnection, AsyncLock)
        case postgres(PostgresClient)
    }

    let backend: Backend
    let logger: Logger
    let feed = ChangeFeed()
    /// Seals and opens secrets (private keys, access key secrets) under the master key.
    package let secrets: SecretBox

    private init(backend: Backend, secrets: SecretBox, logger: Logger) {
        self.backend = backend
        self.secrets = secrets
        self.logger = logger
    }

    /// Opens the store, applies pending migrations, runs `body`, and closes the store when `body` returns.
    ///
    /// For PostgreSQL the connection pool runs for exactly as long as `body`; `schema` (tests) puts every table
    /// in a schema of its own.
    package static func withStore<T: Sendable>(
        _ location: StoreLocation,
        masterKey: SymmetricKey,
        schema: String? = nil,
        logger: Logger,
        _ body: @Sendable (Store) async throws -> T
    ) async throws -> T {
        let secrets = SecretBox(masterKey: masterKey)
        switch location {
        case .sqlite, .sqliteInMemory:
            let storage: SQLiteConnection.Storage = if case .sqlite(let path) = location { .file(path: path) } else { .memory }
            let connection = try await SQLiteConnection.open(storage: storage, logger: logger).get()
            let store = Store(backend: .sqlite(connection, AsyncLock()), secrets: secrets, logger: logger)
            do {
                _ = try await connection.sql().raw("PRAGMA foreign_keys = ON").all()
                _ = try await connection.sql().raw("PRAGMA journal_mode = WAL").all()
                try await Migrator(store: store).migrate()
                let result = try await body(store)
                store.feed.finish()
                try await connection.close().get()
                return result
            } catch {
                store.feed.finish()
                try? await connection.close().get()
                throw error
            }
        case .postgres(let url):
            var configuration = PostgresClient.Configuration(
                host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                tls: url.requireTLS ? .require(.makeClientConfiguration()) : .disable
            )
            if let schema {
                configuration.options.additionalStartupParameters = [("search_path", schema)]
            }
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                await Task.yield()  // let run() start before the first lease
                if let schema {
                    try await client.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: "\"\(schema)\"")", logger: logger)
                }
                let store = Store(backend: .postgres(client), secrets: secrets, logger: logger)
                defer { store.feed.finish() }
                try await Migrator(store: store).migrate()
                group.addTask { await store.listenForChanges(client) }
                return try await body(store)
            }
        }
    }

    /// The SQL dialect's name (`sqlite`, `postgresql`).
    package var engine: String {
        switch self.backend {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// Runs reads on one connection. SQLite operations are serialized with writes.
    func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await Self.translatingErrors {
            switch self.backend {
            case .sqlite(let connection, let lock):
                return try await lock.withLock { try await body(connection.sql()) }
            case .postgres(let client):
                return try await client.withConnection { try await body($0.sql()) }
            }
        }
    }

    /// Runs `body` in one transaction and bumps the configuration revision in it; rolls back if `body` throws.
    func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await Self.translatingErrors {
            switch self.backend {
            case .sqlite(let connection, let lock):
                return try await lock.withLock {
                    let database = connection.sql()
                    _ = try await database.raw("BEGIN IMMEDIATE").all()
                    do {
                        let result = try await body(database)
                        try await Self.bumpRevision(database)
                        _ = try await database.raw("COMMIT").all()
                        self.feed.signal()
                        return result
                    } catch {
                        _ = try? await database.raw("ROLLBACK").all()
                        throw error
                    }
                }
            case .postgres(let client):
                let result = try await client.withTransaction(logger: self.logger) { connection in
                    let database = connection.sql()
                    let result = try await body(database)
                    try await Self.bumpRevision(database)
                    // Delivered to every listening node when, and only if, the transaction commits.
                    try await database.raw("SELECT pg_notify(\(bind: Self.notifyChannel), 'changed')").run()
                    return result
                }
                self.feed.signal()
                return result
            }
        }
    }

    /// Change signals: one after every committed write of this process and, on PostgreSQL, of every node.
    package func changes() -> AsyncStream<Void> {
        self.feed.subscribe()
    }

    /// The NOTIFY channel every PostgreSQL write signals in its transaction.
    static let notifyChannel = "gatehouse_changes"

    /// Holds one connection that LISTENs for other nodes' writes, reconnecting after failures; every (re)connect
    /// also signals, since notifications sent while disconnected are lost.
    private func listenForChanges(_ client: PostgresClient) async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: Self.notifyChannel) { notifications in
                        self.feed.signal()
                        for try await _ in notifications { self.feed.signal() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                self.logger.warning("Lost the PostgreSQL change listener; retrying", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// The configuration revision: it grows with every committed write.
    package func revision() async throws -> Int64 {
        try await self.read { database in
            try await database.select().column("revision").from("config_state").where("id", .equal, 1)
                .first(decodingColumn: "revision", as: Int64.self) ?? 0
        }
    }

    private static func bumpRevision(_ database: any SQLDatabase) async throws {
        try await database.update("config_state").set(SQLIdentifier("revision"), to: SQLRaw("revision + 1"))
            .where("id", .equal, 1).run()
    }

    private static func translatingErrors<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw Self.translate(error)
        }
    }

    /// Driver errors become ``StorageError``s; constraint violations keep their constraint's name.
    private static func translate(_ error: any Error) -> any Error {
        switch error {
        case let error as StorageError:
            return error
        case let error as PostgresTransactionError:
            return Self.translate(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error)
        case let error as PSQLError:
            let constraint = error.serverInfo?[.constraintName] ?? ""
            switch error.serverInfo?[.sqlState] {
            case "23505": return StorageError.uniqueViolation(constraint)
            case "23503": return StorageError.foreignKeyViolation(constraint)
            default: return StorageError.database(error.serverInfo?[.message] ?? String(reflecting: error))
            }
        case let error as SQLiteError:
            switch error.reason {
            case .constraintUniqueFailed, .constraintPrimaryKeyFailed: return StorageError.uniqueViolation(error.message)
            case .constraintForeignKeyFailed: return StorageError.foreignKeyViolation(error.message)
            default: return StorageError.database(error.message)
            }
        default:
            return error
        }
    }
}
