package import Crypto
import Foundation

/// Encrypts secrets at rest (private keys, access key secrets) with AES-256-GCM under the master key.
///
/// Each value is bound to where it is stored (`context`, e.g. `certificate:ID:private_key`) as associated data,
/// so a ciphertext copied to another row does not decrypt. Stored form: `v1:` + base64(nonce ‖ ciphertext ‖ tag).
package struct SecretBox: Sendable {
    private let key: SymmetricKey

    package init(masterKey: SymmetricKey) {
        self.key = masterKey
    }

    package func seal(_ plaintext: String, context: String) throws -> String {
        let box = try AES.GCM.seal(Data(plaintext.utf8), using: self.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw StorageError.decryptionFailed }
        return "v1:" + combined.base64EncodedString()
    }

    package func open(_ stored: String, context: String) throws(StorageError) -> String {
        guard stored.hasPrefix("v1:"), let data = Data(base64Encoded: String(stored.dropFirst(3))) else {
            throw .decryptionFailed
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            let plaintext = try AES.GCM.open(box, using: self.key, authenticating: Data(context.utf8))
            return String(decoding: plaintext, as: UTF8.self)
        } catch {
            throw .decryptionFailed
        }
    }
}

/// Finds the master key: `GATEHOUSE_MASTER_KEY` (base64 of 32 bytes), else `master.key` in the data directory,
/// generated on first start with mode 0600.
package enum MasterKey {
    package static let environmentVariable = "GATEHOUSE_MASTER_KEY"

    package static func load(
        dataDirectory: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> SymmetricKey {
        if let text = environment[Self.environmentVariable] {
            return try Self.decode(text, source: Self.environmentVariable)
        }
        let path = (dataDirectory as NSString).appendingPathComponent("master.key")
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            return try Self.decode(text, source: path)
        }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        else { throw StorageError.invalidMasterKey("cannot write \(path)") }
        return key
    }

    static func decode(_ text: String, source: String) throws(StorageError) -> SymmetricKey {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32 else {
            throw .invalidMasterKey("\(source) must hold 32 bytes, base64-encoded")
        }
        return SymmetricKey(data: data)
    }
}
