package import Foundation

/// A `gatehouse serve` process started from the built binary, for tests that need the real thing.
package final class ServerProcess: @unchecked Sendable {
    // @unchecked: `output` is only touched under `lock`; the rest is set once in init.
    private let process = Process()
    private let lock = NSLock()
    private var output = ""
    /// The data directory the server uses.
    package let dataDirectory: URL
    /// `http://127.0.0.1:PORT`, read from the server's announcement.
    package private(set) var baseURL = ""

    /// The `gatehouse` executable next to the test bundle (or `GATEHOUSE_BINARY`).
    package static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["GATEHOUSE_BINARY"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("gatehouse")
    }

    /// Starts `gatehouse serve --api-address 127.0.0.1:0` plus `arguments` and waits until it listens.
    package init(
        arguments: [String] = [],
        environment: [String: String] = [:],
        dataDirectory: URL? = nil
    ) throws {
        self.dataDirectory = dataDirectory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("gatehouse-serve-\(UUID().uuidString)")
        self.process.executableURL = Self.binary
        self.process.arguments = ["serve", "--data-dir", self.dataDirectory.path, "--api-address", "127.0.0.1:0"] + arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GATEHOUSE_ACCESS_KEY_ID")
        env.removeValue(forKey: "GATEHOUSE_ACCESS_KEY_SECRET")
        env.removeValue(forKey: "GATEHOUSE_MASTER_KEY")
        env.merge(environment) { $1 }
        self.process.environment = env
        let pipe = Pipe()
        self.process.standardOutput = pipe
        self.process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { [lock] handle in
            let data = handle.availableData
            lock.lock()
            self.output += String(decoding: data, as: UTF8.self)
            lock.unlock()
        }
        try self.process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let range = self.log.range(of: #"listening on http://[0-9.]+:[0-9]+"#, options: .regularExpression) {
                self.baseURL = String(self.log[range].dropFirst("listening on ".count))
                return
            }
            guard self.process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        self.process.terminate()
        throw Shell.Failure(description: "gatehouse serve did not start:\n\(self.log)")
    }

    /// Everything the server printed so far (stdout and stderr).
    package var log: String {
        self.lock.lock()
        defer { self.lock.unlock() }
        return self.output
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    package func stop() -> Int32 {
        if self.process.isRunning { self.process.terminate() }
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    deinit {
        if self.process.isRunning { self.process.terminate() }
    }
}

extension Shell {
    /// `curl` against a URL: returns the HTTP status and body.
    package static func curl(_ url: String, _ arguments: [String] = []) throws -> (status: Int, body: String) {
        let output = try Shell.run("/usr/bin/env", ["curl", "-s", "-w", "\n%{http_code}"] + arguments + [url])
        let status = Int(output.split(separator: "\n").last ?? "") ?? 0
        let body = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().joined(separator: "\n")
        return (status, body)
    }
}
