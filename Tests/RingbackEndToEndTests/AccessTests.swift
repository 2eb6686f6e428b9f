import Foundation
import RingbackTestSupport
import XCTest

/// The access model of SPEC §6: the store belongs to the service user and the ringback
/// group, and nobody else can read it.
final class AccessTests: XCTestCase {
    override func setUpWithError() throws {
        try XCTSkipIf(TestStore.onPostgres, "the SQLite store's file modes and schema stamp; the secrets file is tested on SQLite")
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func testStoreAndItsDirectoryAreForTheGroupOnly() throws {
        let stateDirectory = "/tmp/rb-state-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let daemon = try DaemonHarness(storePath: stateDirectory + "/ringback.db")
        defer { daemon.remove() }
        try daemon.start()
        try daemon.append(try DaemonHarness.generatedRows(20)[...], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() > 0 }
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(try mode(stateDirectory) & 0o007, 0, "the directory is not open to others")
        for file in ["ringback.db", "ringback.db-wal", "ringback.db-shm"] where FileManager.default.fileExists(atPath: stateDirectory + "/" + file) {
            XCTAssertEqual(try mode(stateDirectory + "/" + file), 0o660, file)
        }
        // The CLI creates stores the same way.
        let cli = try RingbackHarness(db: stateDirectory + "/cli.db")
        defer { cli.remove() }
        try cli.load("three-misses")
        XCTAssertEqual(try mode(stateDirectory + "/cli.db"), 0o660)
    }

    /// The installed layout (`scripts/install.sh`, `ringbackd.service`): the configuration
    /// 0640 and the state directory 0770, both of the service's group. A user outside the
    /// group is told to ask for membership, exit status 2: first for the configuration, and,
    /// where the configuration is readable, for the store in the closed directory.
    func testUserOutsideTheGroupIsToldToAskForMembership() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to run a command as another user") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rb-installed-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let etc = root.appendingPathComponent("etc"), state = root.appendingPathComponent("state")
        for folder in [root, etc, state] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
        }
        let config = etc.appendingPathComponent("ringback.toml").path
        let store = state.appendingPathComponent("ringback.db").path
        let fixture = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"), encoding: .utf8)
        try ("[store]\npath = \"\(store)\"\n" + fixture).write(toFile: config, atomically: false, encoding: .utf8)
        let harness = try RingbackHarness(config: config, db: store)
        defer { harness.remove() }
        try harness.load("three-misses")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: config)
        try FileManager.default.setAttributes([.posixPermissions: 0o770], ofItemAtPath: state.path)

        // The program too, beside them: the checkout's own folders may be closed to others.
        let program = root.appendingPathComponent("ringback").path
        try FileManager.default.copyItem(atPath: RingbackHarness.products.appendingPathComponent("ringback").path, toPath: program)
        let runAsNobody = { (arguments: [String]) in try self.run(program, asNobody: arguments) }

        let unreadableConfiguration = try runAsNobody(["pending", "--config", config])
        XCTAssertEqual(unreadableConfiguration.status, 2, unreadableConfiguration.stderr)
        XCTAssertTrue(unreadableConfiguration.stderr.contains("\(config): no access to the configuration"), unreadableConfiguration.stderr)
        XCTAssertTrue(unreadableConfiguration.stderr.contains("ringback group"), unreadableConfiguration.stderr)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let closedStore = try runAsNobody(["pending", "--config", config])
        XCTAssertEqual(closedStore.status, 2, closedStore.stderr)
        XCTAssertTrue(closedStore.stderr.contains("no access to the store \(store): ask for membership of the ringback group"),
                      closedStore.stderr)
        XCTAssertFalse(closedStore.stderr.contains("Fatal error") || closedStore.stderr.contains("Stack dump"), closedStore.stderr)

        // Absent is still told apart: a store path that does not exist is "no store".
        let absent = try runAsNobody(["pending", "--config", config, "--db", root.appendingPathComponent("none.db").path])
        XCTAssertEqual(absent.status, 2, absent.stderr)
        XCTAssertTrue(absent.stderr.contains("no store at"), absent.stderr)
    }

    /// API keys live in the service user's own file: anyone else is refused with the reason.
    func testAPIKeysAreRefusedToAnyoneButRootAndTheServiceUser() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to run a command as another user") }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rb-keys-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let config = root.appendingPathComponent("ringback.toml").path
        try "[web]\nsecrets_path = \"\(root.path)/web.db\"\n".write(toFile: config, atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config)
        let program = root.appendingPathComponent("ringback").path
        try FileManager.default.copyItem(atPath: RingbackHarness.products.appendingPathComponent("ringback").path, toPath: program)
        let refused = try run(program, asNobody: ["api-key", "create", "crm", "--scope", "contacts", "--config", config])
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("run this as root or as root"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.path + "/web.db"), "nothing was created")
        let made = Process()
        made.executableURL = URL(fileURLWithPath: program)
        made.arguments = ["api-key", "create", "crm", "--scope", "contacts", "--config", config]
        made.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try made.run()
        made.waitUntilExit()
        XCTAssertEqual(made.terminationStatus, 0, "root may")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: root.path + "/web.db")[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o077, 0, "the secrets file is its owner's alone")
    }

    private func run(_ program: String, asNobody arguments: [String]) throws -> RingbackHarness.Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups",
                             program] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return RingbackHarness.Output(status: process.terminationStatus, stdout: "", stderr: message)
    }

    /// Readers never migrate: a `pending` from another build leaves the daemon's store as it
    /// is and says which side to upgrade (exit 2, the store cannot be opened by this build).
    func testACommandThatReadsNeverMigratesTheStore() throws {
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load("three-misses")
        let current = try harness.sqlite("PRAGMA user_version")
        for (version, advice) in [("3", "start the upgraded ringbackd"), ("99", "upgrade ringback")] {
            _ = try harness.sqlite("PRAGMA user_version = \(version)")
            for command in [["pending"], ["missed"], ["alerts"], ["report"], ["status"], ["ack", "1"]] {
                let output = try harness.run(command)
                XCTAssertEqual(output.status, 2, "\(command): \(output.stderr)")
                XCTAssertTrue(output.stderr.contains("schema version \(version)") && output.stderr.contains(advice),
                              "\(command): \(output.stderr)")
            }
            XCTAssertEqual(try harness.sqlite("PRAGMA user_version"), version, "left as it was")
        }
        _ = try harness.sqlite("PRAGMA user_version = \(current)")
        XCTAssertEqual(try harness.json(["pending"]).count, 1)
    }
}
