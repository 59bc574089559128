import SQLKit

/// Regions, access keys, certificates, the operator's certificate store, tags and the configuration revision.
///
/// Times are epoch seconds in BIGINT columns and lists are JSON text, so the same schema works on SQLite and
/// PostgreSQL. Secrets are stored sealed (see ``SecretBox``); `*_sealed` columns never hold plaintext.
enum M0001Initial {
    static let migration = Migration(version: 1, name: "initial") { database in
        try await database.create(table: "config_state")
            .column("id", type: .bigint, .primaryKey(autoIncrement: false))
            .column("revision", type: .bigint, .notNull)
            .run()
        try await database.insert(into: "config_state").columns("id", "revision").values(SQLBind(1), SQLBind(0)).run()

        try await database.create(table: "regions")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("local_name", type: .text, .notNull)
            .column("project_id", type: .text, .notNull, .unique)
            .column("key_policy", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "access_keys")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("secret_sealed", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "certificates")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("region_id", type: .text, .notNull, .references("regions", "id"))
            .column("kind", type: .text, .notNull)
            .column("name", type: .text, .notNull)
            .column("description", type: .text, .notNull)
            .column("domain", type: .text)
            .column("certificate_pem", type: .text, .notNull)
            .column("private_key_sealed", type: .text)
            .column("enc_certificate_pem", type: .text)
            .column("enc_private_key_sealed", type: .text)
            .column("common_name", type: .text)
            .column("subject_alternative_names", type: .text, .notNull)
            .column("issuer", type: .text, .notNull)
            .column("serial_number", type: .text, .notNull)
            .column("fingerprint_sha1", type: .text, .notNull)
            .column("fingerprint_sha256", type: .text, .notNull)
            .column("key_algorithm", type: .text, .notNull)
            .column("key_bits", type: .bigint, .notNull)
            .column("not_before", type: .bigint, .notNull)
            .column("not_after", type: .bigint, .notNull)
            .column("source", type: .text, .notNull)
            .column("source_id", type: .text)
            .column("resource_group_id", type: .text)
            .column("created_at", type: .bigint, .notNull)
            .column("updated_at", type: .bigint, .notNull)
            .run()
        try await database.create(index: "certificates_region_kind").on("certificates").column("region_id").column("kind").run()

        // The operator's own certificate store: what Alibaba's certificate manager is to CLB (seed 003).
        try await database.create(table: "store_certificates")
            .column("id", type: .text, .primaryKey(autoIncrement: false))
            .column("name", type: .text, .notNull, .unique)
            .column("region_id", type: .text, .notNull)
            .column("certificate_pem", type: .text, .notNull)
            .column("private_key_sealed", type: .text, .notNull)
            .column("created_at", type: .bigint, .notNull)
            .run()

        try await database.create(table: "tags")
            .column("resource_type", type: .text, .notNull)
            .column("resource_id", type: .text, .notNull)
            .column("region_id", type: .text, .notNull)
            .column("tag_key", type: .text, .notNull)
            .column("tag_value", type: .text, .notNull)
            .primaryKey("resource_type", "resource_id", "tag_key")
            .run()
    }
}
