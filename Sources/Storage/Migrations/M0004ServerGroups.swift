import SQLKit

/// Backend server groups with their own members (each member with its own port) and health monitor, the SNI
/// certificate list of a listener (ELB `sni_container_refs`), and descriptions on TLS policies.
///
/// A server group is the ELB *pool* (and the CLB *VServerGroup*): a listener that names one in its settings sends
/// its traffic to the group's members instead of the load balancer's default backends.
enum M0004ServerGroups {
    static let migration = Migration(version: 4, name: "server_groups") { database in
        try await database.create(table: "server_groups")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("region_id", type: .text, .notNull, .references("regions", "id"))
            .column("load_balancer_id", type: .text, .notNull, .references("load_balancers", "id"))
            .column("name", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("protocol", type: .text, .notNull)
            .column("algorithm", type: .text, .notNull)
            .column("health_monitor_id", type: .text)
            .column("health_monitor", type: .text)
            .column("settings", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "server_group_members")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("group_id", type: .text, .notNull, .references("server_groups", "id"))
            .column("name", type: .text, .notNull)
            .column("address", type: .text, .notNull)
            .column("port", type: .bigint, .notNull)
            .column("weight", type: .bigint, .notNull)
            .column("settings", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .unique("group_id", "address", "port")
            .run()

        try await database.create(table: "listener_sni_certificates")
            .column("load_balancer_id", type: .text, .notNull)
            .column("port", type: .bigint, .notNull)
            .column("certificate_id", type: .text, .notNull)
            .column("position", type: .bigint, .notNull)
            .primaryKey("load_balancer_id", "port", "certificate_id")
            .run()

        try await database.alter(table: "tls_policies").column("description", type: .text, .notNull, .default("")).run()
    }
}
