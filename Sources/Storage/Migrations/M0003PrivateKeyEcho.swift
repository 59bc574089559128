import SQLKit

/// The Huawei project-wide private-key echo switch, per region (off: keys are never returned).
enum M0003PrivateKeyEcho {
    static let migration = Migration(version: 3, name: "private_key_echo") { database in
        try await database.alter(table: "regions").column("private_key_echo", type: .bigint, .notNull, .default(0)).run()
    }
}
