import ArgumentParser

/// `gatehouse cert ...`: certificate tools that need no server.
struct Cert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect certificates and keys.",
        subcommands: [Inspect.self]
    )
}
