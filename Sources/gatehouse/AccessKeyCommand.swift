import ArgumentParser
import ControlPlane
import GatehouseServer

/// `gatehouse access-key create|list|delete`.
struct AccessKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access-key",
        abstract: "Manage the access keys API clients sign requests with.",
        subcommands: [Create.self, List.self, Delete.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an access key and print its secret (once).")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions
        @Option(help: "A note to remember the key by.") var note: String = ""

        func run() async throws {
            let note = self.note
            let key = try await self.storage.withStore(self.logging) { store in try await AccessKeyService(store: store).create(note: note) }
            print("AccessKeyId:     \(key.id)")
            print("AccessKeySecret: \(key.secret)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List access key ids (never secrets).")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            let keys = try await self.storage.withStore(self.logging) { store in try await AccessKeyService(store: store).all() }
            for key in keys { print(key.note.isEmpty ? key.id : "\(key.id)  \(key.note)") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete an access key.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions
        @Argument(help: "The access key id.") var id: String

        func run() async throws {
            let id = self.id
            let deleted = try await self.storage.withStore(self.logging) { store in try await AccessKeyService(store: store).delete(id) }
            guard deleted else { throw ValidationError("no access key \(id)") }
            print("Deleted \(id)")
        }
    }
}
