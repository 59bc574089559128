import Foundation
package import Storage

/// The operator's registry of servers (`gatehouse server add ID IP`): what an `ecs` backend's `ServerId` resolves
/// to, since there is no ECS here.
package struct ServerRegistry: Sendable {
    let store: Store

    package init(store: Store) {
        self.store = store
    }

    package func add(id: String, ip: String, description: String = "") async throws {
        guard !id.isEmpty, id.count <= 64 else { throw ControlPlaneError.invalidParameter(name: "ServerId", reason: "1 to 64 characters") }
        guard IPAddressText.isValid(ip) else { throw ControlPlaneError.invalidParameter(name: "ServerIp", reason: "\(ip) is not an IP address") }
        try await self.store.servers.upsert(ServerRecord(id: id, ip: ip, description: description, createdAt: Int64(Date().timeIntervalSince1970)))
    }

    package func all() async throws -> [(id: String, ip: String, description: String)] {
        try await self.store.servers.all().map { ($0.id, $0.ip, $0.description) }
    }

    package func remove(_ id: String) async throws -> Bool {
        try await self.store.servers.delete(id)
    }
}
