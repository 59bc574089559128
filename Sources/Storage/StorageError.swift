/// Why a storage operation failed. Driver errors are translated into these, so no driver type travels up.
package enum StorageError: Error, Hashable, Sendable {
    /// `--database-url` cannot be used.
    case invalidDatabaseURL(String)
    /// The master key in `GATEHOUSE_MASTER_KEY` or the key file is not 32 bytes of base64.
    case invalidMasterKey(String)
    /// Encrypted data could not be decrypted: wrong master key, or the stored value was altered.
    case decryptionFailed
    /// A row with the same key already exists.
    case uniqueViolation(String)
    /// A row refers to one that does not exist (e.g. a certificate in an unknown region).
    case foreignKeyViolation(String)
    /// A guarded write would take a count over its limit (quotas, tags per resource); nothing was written.
    case limitExceeded(String)
    /// The database rejected or failed the operation.
    case database(String)
}
