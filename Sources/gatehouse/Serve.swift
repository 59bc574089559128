import ArgumentParser
import ControlPlane
import Foundation
import GatehouseServer

/// `gatehouse serve`: everything on one machine, SQLite by default.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API server and the load balancer.")

    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    @Option(name: .customLong("api-address"), help: "HOST:PORT for the API (port 0 picks a free one).")
    var apiAddress: String = "127.0.0.1:8080"

    @Option(name: .customLong("region"), help: "A region to serve, ID or ID=Local Name; repeatable (default: common Alibaba regions).")
    var regions: [String] = []

    @Option(name: .customLong("huawei-project"), help: "Pin a region's Huawei project id: REGION=32-hex-id; repeatable.")
    var projects: [String] = []

    @Option(name: .customLong("key-policy"), help: "A region's key policy for Alibaba uploads: REGION=aliyun (RSA 1024/2048/4096, the default) or REGION=aliyun-ecc (also ECDSA P-256/384/521); repeatable.")
    var keyPolicies: [String] = []

    @Option(name: .customLong("server-certificate-quota"), help: "Server certificates per region.")
    var serverCertificateQuota: Int = 100

    @Option(name: .customLong("ca-certificate-quota"), help: "CA certificates per region.")
    var caCertificateQuota: Int = 100

    @Option(name: .customLong("lb-address"), help: "An IP address load balancers' listeners bind; repeatable (default 127.0.0.1).")
    var loadBalancerAddresses: [String] = []

    @Option(name: .customLong("listener-quota"), help: "Listeners per load balancer.")
    var listenerQuota: Int = 50

    @Option(name: .customLong("domain-extension-quota"), help: "Domain extensions (SNI certificates) per HTTPS listener.")
    var domainExtensionQuota: Int = 3

    func validate() throws {
        _ = try self.hostAndPort()
        for region in self.regions where RegionDefinition(argument: region) == nil {
            throw ValidationError("--region \(region): the id must be lowercase letters, digits and hyphens")
        }
        _ = try self.pinnedProjects()
        _ = try self.regionDefinitions()
        for address in self.loadBalancerAddresses where !IPAddressText.isValid(address) {
            throw ValidationError("--lb-address \(address) is not an IP address")
        }
        guard self.serverCertificateQuota >= 0, self.caCertificateQuota >= 0, self.listenerQuota >= 0, self.domainExtensionQuota >= 0 else {
            throw ValidationError("quotas cannot be negative")
        }
    }

    func run() async throws {
        let (host, port) = try self.hostAndPort()
        var configuration = ServerConfiguration(
            dataDirectory: self.storage.dataDirectory,
            apiHost: host,
            apiPort: port,
            databaseURL: self.storage.databaseURL,
            regions: try self.regionDefinitions(),
            pinnedProjects: try self.pinnedProjects(),
            certificateLimits: {
                var limits = CertificateLimits()
                limits.serverCertificatesPerRegion = self.serverCertificateQuota
                limits.caCertificatesPerRegion = self.caCertificateQuota
                return limits
            }()
        )
        configuration.listenerLimits.listenersPerLoadBalancer = self.listenerQuota
        configuration.listenerLimits.domainExtensionsPerListener = self.domainExtensionQuota
        if !self.loadBalancerAddresses.isEmpty { configuration.loadBalancerAddresses = self.loadBalancerAddresses }
        try await GatehouseServer.run(configuration, logger: self.logging.makeLogger()) { line in
            print(line)
            fflush(nil)
        }
    }

    private func hostAndPort() throws -> (String, Int) {
        guard let colon = self.apiAddress.lastIndex(of: ":"),
            let port = Int(self.apiAddress[self.apiAddress.index(after: colon)...]), (0...65535).contains(port)
        else { throw ValidationError("--api-address must be HOST:PORT, e.g. 127.0.0.1:8080") }
        let host = String(self.apiAddress[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw ValidationError("--api-address needs a host, e.g. 127.0.0.1:8080") }
        return (host, port)
    }

    /// `--region` (or the defaults) with `--key-policy` applied.
    private func regionDefinitions() throws -> [RegionDefinition] {
        var definitions = self.regions.isEmpty ? RegionDefinition.defaults : self.regions.compactMap(RegionDefinition.init(argument:))
        for pin in self.keyPolicies {
            let parts = pin.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let policy = KeyPolicyName(rawValue: parts[1]),
                let index = definitions.firstIndex(where: { $0.id == parts[0] })
            else {
                throw ValidationError("--key-policy \(pin): expected REGION=aliyun or REGION=aliyun-ecc for a served region")
            }
            definitions[index].keyPolicyName = policy
        }
        return definitions
    }

    private func pinnedProjects() throws -> [String: String] {
        var pins: [String: String] = [:]
        for pin in self.projects {
            let parts = pin.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1].count == 32, parts[1].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ValidationError("--huawei-project \(pin): expected REGION=32 lowercase hex characters")
            }
            pins[parts[0]] = parts[1]
        }
        return pins
    }
}
