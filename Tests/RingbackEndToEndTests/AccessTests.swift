import Foundation
import XCTest

/// The access model of SPEC §6: the store belongs to the service user and the ringback
/// group, and nobody else can read it.
final class AccessTests: XCTestCase {
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

    /// A user outside the ringback group gets a plain "no access" and exit status 2.
    func testUserOutsideTheGroupGetsNoAccess() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root to run a command as another user") }
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load("three-misses")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups",
                             RingbackHarness.products.appendingPathComponent("ringback").path,
                             "pending", "--config", harness.config, "--db", harness.db]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 2, message)
        XCTAssertTrue(message.contains("no access to the store"), message)
        XCTAssertTrue(message.contains("ringback group"), message)
        XCTAssertFalse(message.contains("Fatal error") || message.contains("Stack dump"), message)
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
