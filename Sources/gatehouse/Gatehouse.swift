import ArgumentParser

/// The `gatehouse` command: the server and the operator's tools.
@main
struct Gatehouse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gatehouse",
        abstract: "A self-hosted load balancer with cloud-compatible certificate APIs.",
        subcommands: [Serve.self, Cert.self, AccessKeyCommand.self, StoreCommand.self, ServerCommand.self, Regions.self]
    )
}
