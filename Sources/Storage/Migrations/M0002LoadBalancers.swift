import SQLKit

/// Load balancers, their backend servers, listeners, domain extensions, TLS cipher policies, and the operator's
/// registry of ECS-style servers.
///
/// Listener and load balancer settings that are only echoed and fed to the data plane live in a JSON `settings`
/// column owned by the control plane; columns exist for what queries and constraints need (state, certificate
/// references for "in use" checks, policy references).
enum M0002LoadBalancers {
    static let migration = Migration(version: 2, name: "load_balancers") { database in
        try await database.create(table: "servers")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("ip", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "load_balancers")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("region_id", type: .text, .notNull, .references("regions", "id"))
            .column("name", type: .text, .notNull)
            .column("address", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("settings", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "backend_servers")
            .column("load_balancer_id", type: .text, .notNull, .references("load_balancers", "id"))
            .column("server_id", type: .text, .notNull)
            .column("type", type: .text, .notNull)
            .column("server_ip", type: .text, .notNull)
            .column("weight", type: .bigint, .notNull)
            .column("description", type: .text, .notNull)
            .primaryKey("load_balancer_id", "server_id")
            .run()

        try await database.create(table: "listeners")
            .column("load_balancer_id", type: .text, .notNull, .references("load_balancers", "id"))
            .column("port", type: .bigint, .notNull)
            .column("protocol", type: .text, .notNull)
            .column("status", type: .text, .notNull)
            .column("server_certificate_id", type: .text)
            .column("ca_certificate_id", type: .text)
            .column("tls_policy", type: .text)
            .column("settings", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .primaryKey("load_balancer_id", "port")
            .run()

        try await database.create(table: "domain_extensions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("load_balancer_id", type: .text, .notNull)
            .column("listener_port", type: .bigint, .notNull)
            .column("domain", type: .text, .notNull)
            .column("server_certificate_id", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "tls_policies")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("region_id", type: .text, .notNull, .references("regions", "id"))
            .column("name", type: .text, .notNull)
            .column("tls_versions", type: .text, .notNull)
            .column("ciphers", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()
    }
}
