import ControlPlane
import DataPlane
import Foundation
import Hummingbird
package import Logging
import ServiceLifecycle
import UnixSignals
import Storage

/// `gatehouse serve`: opens storage, prepares regions and access keys, and runs the API server (and, as they
/// arrive, the data plane) in one `ServiceGroup` that shuts down cleanly on SIGTERM and SIGINT.
package enum GatehouseServer {
    /// Runs until a shutdown signal. `announce` receives the lines an operator must see on the terminal
    /// (the listening address, a generated access key).
    package static func run(
        _ configuration: ServerConfiguration,
        logger: Logger,
        announce: @escaping @Sendable (String) -> Void
    ) async throws {
        try await StorageOpening.withStore(
            dataDirectory: configuration.dataDirectory,
            databaseURL: configuration.databaseURL,
            environment: configuration.environment,
            logger: logger
        ) { store in
            try await RegionService(store: store).configure(configuration.regions, pinnedProjects: configuration.pinnedProjects)
            switch try await AccessKeyService(store: store).bootstrap(environment: configuration.environment) {
            case .generated(let key):
                announce("Generated the first access key (shown once; keep it):")
                announce("  AccessKeyId:     \(key.id)")
                announce("  AccessKeySecret: \(key.secret)")
            case .fromEnvironment(let id):
                logger.info("Access key from the environment", metadata: ["access_key.id": "\(id)"])
            case .existing:
                break
            }

            let dataPlane = DataPlane(logger: logger)
            var services = Services(store: store)
            services.certificateLimits = configuration.certificateLimits
            services.listenerLimits = configuration.listenerLimits
            services.addresses = configuration.loadBalancerAddresses
            services.runtime = dataPlane
            let updater = SnapshotUpdater(store: store, logger: logger, pollInterval: .seconds(30)) { snapshot in
                await dataPlane.apply(snapshot)
            }
            let app = Application(
                router: APIRouter.build(services: services, defaultRegionID: configuration.regions.first?.id ?? "cn-hangzhou"),
                server: .http1(configuration: .init(additionalChannelHandlers: [ParserErrorResponder()])),
                configuration: .init(
                    address: .hostname(configuration.apiHost, port: configuration.apiPort),
                    serverName: "Gatehouse"
                ),
                onServerRunning: { channel in
                    let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.apiHost):\($0.port ?? 0)" } ?? "?"
                    announce("Gatehouse API listening on http://\(address) (storage: \(store.engine))")
                },
                logger: logger
            )
            let group = ServiceGroup(
                // Started in order, stopped in reverse: the API stops first, then the updater, then the data plane drains.
                configuration: .init(
                    services: [dataPlane, updater, app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            )
            try await group.run()
            logger.info("Gatehouse stopped")
        }
    }
}
