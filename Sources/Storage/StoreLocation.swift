import Foundation

/// Where the store keeps its data: one SQLite file (the embedded default) or a shared PostgreSQL database.
package enum StoreLocation: Hashable, Sendable {
    /// A SQLite database file; created if missing.
    case sqlite(path: String)
    /// An in-memory SQLite database, for tests.
    case sqliteInMemory
    /// A PostgreSQL server, from a `postgres://user[:password]@host[:port]/database[?sslmode=...]` URL.
    case postgres(PostgresURL)

    /// Parses `--database-url`; `sqlite:PATH` and `postgres://` (or `postgresql://`) are understood.
    package init(databaseURL: String) throws(StorageError) {
        if databaseURL.hasPrefix("sqlite:") {
            self = .sqlite(path: String(databaseURL.dropFirst("sqlite:".count)))
        } else {
            self = .postgres(try PostgresURL(databaseURL))
        }
    }
}

/// The parts of a PostgreSQL URL the client needs. The password is kept out of `description`.
package struct PostgresURL: Hashable, Sendable, CustomStringConvertible {
    package var host: String
    package var port: Int
    package var username: String
    package var password: String?
    package var database: String?
    /// Whether TLS is required (`sslmode=require`, `verify-ca` or `verify-full`); otherwise it is off.
    package var requireTLS: Bool

    package init(_ text: String) throws(StorageError) {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
            let host = components.host, !host.isEmpty
        else { throw .invalidDatabaseURL("expected postgres://user@host:port/database") }
        self.host = host
        self.port = components.port ?? 5432
        self.username = components.user ?? "postgres"
        self.password = components.password
        let path = components.path.drop { $0 == "/" }
        self.database = path.isEmpty ? nil : String(path)
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        self.requireTLS = ["require", "verify-ca", "verify-full"].contains(sslmode)
    }

    package var description: String {
        "postgres://\(self.username)@\(self.host):\(self.port)/\(self.database ?? "")"
    }
}
