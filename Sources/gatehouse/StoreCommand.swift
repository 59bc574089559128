import ArgumentParser
import Certificates
import ControlPlane
import Foundation
import GatehouseServer

/// `gatehouse store add|list`: the operator's certificate store, importable through `UploadServerCertificate`
/// with `AliCloudCertificateId` (seed 003's certificate manager; server certificates only).
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Manage the certificate store that UploadServerCertificate can import from (AliCloudCertificateId).",
        subcommands: [Add.self, List.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a server certificate and its key; prints the id to import it by.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions
        @Argument(help: "A name for the entry.") var name: String
        @Option(help: "PEM file with the certificate chain, leaf first.") var cert: String
        @Option(help: "PEM file with the private key.") var key: String
        @Option(help: "The entry's region (AliCloudCertificateRegionId).") var region: String = "cn-hangzhou"

        func run() async throws {
            let certificate = try String(contentsOfFile: self.cert, encoding: .utf8)
            let key = try String(contentsOfFile: self.key, encoding: .utf8)
            let (name, region) = (self.name, self.region)
            let entry = try await self.storage.withStore(self.logging) { store in
                try await StoreCertificateService(store: store).add(
                    name: name, regionID: region, certificatePEM: certificate, privateKeyPEM: key)
            }
            print("\(entry.id)  \(entry.name)  \(entry.regionID)  \(entry.info.commonName ?? "-")")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the store's entries.")
        @OptionGroup var storage: StorageOptions
        @OptionGroup var logging: LoggingOptions

        func run() async throws {
            let entries = try await self.storage.withStore(self.logging) { store in try await StoreCertificateService(store: store).all() }
            for entry in entries {
                let dates = ISO8601DateFormatter().string(from: entry.info.notAfter)
                print("\(entry.id)  \(entry.name)  \(entry.regionID)  \(entry.info.commonName ?? "-")  expires \(dates)")
            }
        }
    }
}
