import Foundation
package import Storage

/// An API access key: the id and secret that request signatures are made with.
package struct AccessKey: Hashable, Sendable, CustomStringConvertible {
    package var id: String
    package var secret: String
    package var note: String

    package init(id: String, secret: String, note: String = "") {
        self.id = id
        self.secret = secret
        self.note = note
    }

    package var description: String { "AccessKey(\(self.id), <redacted>)" }
}

/// Creates, rotates and looks up access keys.
package struct AccessKeyService: Sendable {
    /// What ``bootstrap(environment:)`` did at start.
    package enum Bootstrap: Hashable, Sendable {
        /// `GATEHOUSE_ACCESS_KEY_ID`/`_SECRET` were set; the key was created or its secret replaced.
        case fromEnvironment(id: String)
        /// The store had no key; this one was generated and must be shown to the operator once.
        case generated(AccessKey)
        /// Keys exist already; nothing changed.
        case existing
    }

    package static let idVariable = "GATEHOUSE_ACCESS_KEY_ID"
    package static let secretVariable = "GATEHOUSE_ACCESS_KEY_SECRET"

    let store: Store

    package init(store: Store) {
        self.store = store
    }

    /// Applies the start-up rule of `gatehouse serve` for access keys.
    package func bootstrap(environment: [String: String]) async throws -> Bootstrap {
        if let id = environment[Self.idVariable], let secret = environment[Self.secretVariable], !id.isEmpty, !secret.isEmpty {
            try await self.save(AccessKey(id: id, secret: secret, note: "from \(Self.idVariable)"))
            return .fromEnvironment(id: id)
        }
        guard try await self.store.accessKeys.all().isEmpty else { return .existing }
        return .generated(try await self.create(note: "generated at first start"))
    }

    /// Generates and stores a new key (a 24-character id starting `GH`, a 30-character secret).
    package func create(note: String = "") async throws -> AccessKey {
        let key = AccessKey(id: "GH" + Identifiers.alphanumeric(22), secret: Identifiers.alphanumeric(30), note: note)
        try await self.save(key)
        return key
    }

    /// Stores a key, replacing the secret of an existing one with the same id.
    package func save(_ key: AccessKey) async throws {
        let existing = try await self.store.accessKeys.get(key.id)
        try await self.store.accessKeys.upsert(
            AccessKeyRecord(id: key.id, secret: key.secret, note: key.note,
                            createdAt: existing?.createdAt ?? Int64(Date().timeIntervalSince1970)))
    }

    /// The key with this id, for signature checks.
    package func get(_ id: String) async throws -> AccessKey? {
        try await self.store.accessKeys.get(id).map { AccessKey(id: $0.id, secret: $0.secret, note: $0.note) }
    }

    /// Every key.
    package func all() async throws -> [AccessKey] {
        try await self.store.accessKeys.all().map { AccessKey(id: $0.id, secret: $0.secret, note: $0.note) }
    }

    /// Deletes a key; `false` if there was none.
    package func delete(_ id: String) async throws -> Bool {
        try await self.store.accessKeys.delete(id)
    }
}
