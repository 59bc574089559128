import Foundation
import GatehouseTestSupport
import Testing

@Suite("gatehouse serve")
struct ServeTests {
    @Test("Starts on SQLite, answers /healthz, generates the first access key once, and stops on SIGTERM")
    func embeddedStart() throws {
        let server = try ServerProcess()
        let health = try Shell.curl(server.baseURL + "/healthz")
        #expect(health.status == 200)
        #expect(health.body.contains(#""status":"ok""#))
        #expect(health.body.contains(#""storage":"sqlite""#))
        #expect(server.log.contains("AccessKeyId:"))
        #expect(server.stop() == 0)
        #expect(server.log.contains("Gatehouse stopped"))

        let attributes = try FileManager.default.attributesOfItem(atPath: server.dataDirectory.appendingPathComponent("master.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let again = try ServerProcess(dataDirectory: server.dataDirectory)
        #expect(!again.log.contains("AccessKeyId:"))
        #expect(again.stop() == 0)
    }

    @Test("Access keys from the environment are created at start; the CLI lists them, never their secrets")
    func environmentAccessKey() throws {
        let server = try ServerProcess(environment: ["GATEHOUSE_ACCESS_KEY_ID": "TESTKEY1", "GATEHOUSE_ACCESS_KEY_SECRET": "s3cret-value"])
        #expect(!server.log.contains("AccessKeyId:"))
        #expect(server.stop() == 0)
        let list = try Shell.run(ServerProcess.binary.path, ["access-key", "list", "--data-dir", server.dataDirectory.path])
        #expect(list.contains("TESTKEY1"))
        #expect(!list.contains("s3cret-value"))
        let created = try Shell.run(ServerProcess.binary.path, ["access-key", "create", "--data-dir", server.dataDirectory.path])
        let id = try #require(created.split(separator: "\n").first?.split(separator: " ").last)
        #expect(try Shell.run(ServerProcess.binary.path, ["access-key", "delete", String(id), "--data-dir", server.dataDirectory.path])
            .contains("Deleted"))
        #expect(try !Shell.run(ServerProcess.binary.path, ["access-key", "list", "--data-dir", server.dataDirectory.path])
            .contains(String(id)))
    }

    @Test("Regions get a stable 32-hex project id; --huawei-project pins one")
    func regions() throws {
        let pinned = String(repeating: "ab", count: 16)
        let server = try ServerProcess(arguments: ["--region", "cn-hangzhou", "--region", "eu-west-9=Test Region",
                                                   "--huawei-project", "eu-west-9=\(pinned)"])
        #expect(server.stop() == 0)
        let listing = try Shell.run(ServerProcess.binary.path, ["regions", "--data-dir", server.dataDirectory.path])
        #expect(listing.contains("eu-west-9") && listing.contains(pinned) && listing.contains("Test Region"))
        let hangzhou = try #require(listing.split(separator: "\n").first { $0.hasPrefix("cn-hangzhou") })
        let project = hangzhou.split(separator: " ", omittingEmptySubsequences: true)[1]
        #expect(project.count == 32 && project.allSatisfy(\.isHexDigit))
        let again = try ServerProcess(arguments: ["--region", "cn-hangzhou"], dataDirectory: server.dataDirectory)
        #expect(again.stop() == 0)
        #expect(try Shell.run(ServerProcess.binary.path, ["regions", "--data-dir", server.dataDirectory.path]).contains(String(project)))
    }

    @Test("Bad options are refused before anything starts", arguments: [
        ["serve", "--api-address", "nonsense"], ["serve", "--region", "Bad Region"],
        ["serve", "--huawei-project", "cn-hangzhou=xyz"], ["serve", "--database-url", "mysql://x"],
    ])
    func badOptions(arguments: [String]) {
        #expect(throws: Shell.Failure.self) { try Shell.run(ServerProcess.binary.path, arguments) }
    }

    @Test("cert inspect prints what it sees and exits 1 on a refused file")
    func certInspect() throws {
        let pki = TestPKI.shared
        let table = try Shell.run(ServerProcess.binary.path, ["cert", "inspect", pki.path("a.chain.pem")])
        #expect(table.contains("a.test, www.a.test"))
        let json = try Shell.run(ServerProcess.binary.path, ["cert", "inspect", "--json", pki.path("sm2.crt")])
        #expect(json.contains(#""sha1Fingerprint""#))
        #expect(throws: Shell.Failure.self) {
            try Shell.run(ServerProcess.binary.path, ["cert", "inspect", "--policy", "aliyun", pki.path("p256.crt")])
        }
    }
}
