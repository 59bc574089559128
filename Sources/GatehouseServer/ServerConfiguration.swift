package import ControlPlane
package import Foundation
package import Logging

/// Everything `gatehouse serve` needs to start, already validated by the CLI.
package struct ServerConfiguration: Sendable {
    /// Where the SQLite file and the generated master key live.
    package var dataDirectory: String
    /// The API port's address (`--api-address`); port 0 picks a free port.
    package var apiHost: String
    package var apiPort: Int
    /// `--database-url`; nil means the embedded SQLite file in the data directory.
    package var databaseURL: String?
    /// The regions to serve (`--region`), or the defaults.
    package var regions: [RegionDefinition]
    /// `--huawei-project REGION=ID` pins.
    package var pinnedProjects: [String: String]
    /// The process environment (master key, bootstrap access key).
    package var environment: [String: String]
    /// Quotas and input limits for certificates.
    package var certificateLimits: CertificateLimits
    /// Listener and domain extension quotas.
    package var listenerLimits = ListenerLimits()
    /// The addresses load balancers get (`--lb-address`).
    package var loadBalancerAddresses = ["127.0.0.1"]

    package init(
        dataDirectory: String,
        apiHost: String = "127.0.0.1",
        apiPort: Int = 8080,
        databaseURL: String? = nil,
        regions: [RegionDefinition] = RegionDefinition.defaults,
        pinnedProjects: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        certificateLimits: CertificateLimits = CertificateLimits()
    ) {
        self.certificateLimits = certificateLimits
        self.dataDirectory = dataDirectory
        self.apiHost = apiHost
        self.apiPort = apiPort
        self.databaseURL = databaseURL
        self.regions = regions
        self.pinnedProjects = pinnedProjects
        self.environment = environment
    }
}
