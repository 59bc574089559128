package import Foundation

/// A throwaway PKI made with the openssl CLI, once per test process.
///
/// Every file the certificate, storage and API tests need: a root and intermediate CA, leaves signed by them,
/// self-signed certificates of every key type the product knows (RSA 1024-4096, P-256/384/521, SM2), each key in
/// PKCS#1/PKCS#8/SEC1, both encrypted key formats, a DH PARAMETERS block, and client certificates for mTLS.
package final class TestPKI: Sendable {
    /// The directory holding the files.
    package let directory: URL

    /// The shared instance; the first use runs openssl (a few seconds, mostly the 4096-bit key).
    package static let shared: TestPKI = {
        do { return try TestPKI() } catch { fatalError("could not create the test PKI: \(error)") }
    }()

    private init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
        try Shell.run("/bin/bash", [Self.script], in: directory)
    }

    /// The text of a file in the PKI.
    package func pem(_ name: String) -> String {
        (try? String(contentsOf: self.directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// The path of a file in the PKI.
    package func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    /// What `openssl x509` says about a certificate file, e.g. `fingerprint -sha1`.
    package func openssl(_ arguments: [String]) throws -> String {
        try Shell.run("/usr/bin/env", ["openssl"] + arguments, in: self.directory)
    }

    /// `scripts/make-test-pki.sh`, found from this source file's path.
    private static var script: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/make-test-pki.sh").path
    }
}

/// Runs a program to completion and returns its standard output; throws when it exits non-zero.
package enum Shell {
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    @discardableResult
    package static func run(_ executable: String, _ arguments: [String], in directory: URL? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                + String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
