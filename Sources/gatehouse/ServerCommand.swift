import ArgumentParser
import ControlPlane

/// `gatehouse server add|list|remove`: the servers `ecs` backends name.
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Register backend servers that AddBackendServers can name by id (Type ecs).",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register (or move) a server: ID and IP address.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions
        @Argument(help: "The server id backends use, e.g. i-web1.") var id: String
        @Argument(help: "Its IP address.") var ip: String
        @Option(help: "A note.") var description: String = ""

        func run() async throws {
            let (id, ip, description) = (self.id, self.ip, self.description)
            try await self.storage.withStore(self.logging) { store in
                try await ServerRegistry(store: store).add(id: id, ip: ip, description: description)
            }
            print("\(id)  \(ip)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered servers.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            let servers = try await self.storage.withStore(self.logging) { store in
                try await ServerRegistry(store: store).all().map { "\($0.id)  \($0.ip)  \($0.description)" }
            }
            servers.forEach { print($0) }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a server.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions
        @Argument(help: "The server id.") var id: String

        func run() async throws {
            let id = self.id
            let removed = try await self.storage.withStore(self.logging) { store in try await ServerRegistry(store: store).remove(id) }
            guard removed else { throw ValidationError("no server \(id)") }
            print("Removed \(id)")
        }
    }
}
