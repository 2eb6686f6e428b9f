import Foundation
import RingbackTestSupport
import XCTest

/// The store under pressure (issue: resources): locked by another program, on a full disk,
/// deleted under the daemon.
final class ResourceTests: XCTestCase {
    var daemon: DaemonHarness!
    override func setUpWithError() throws {
        try XCTSkipIf(TestStore.onPostgres, "facts of the SQLite store's file (its locks, its removal, a full disk under it)")
        daemon = try DaemonHarness()
    }
    override func tearDown() { daemon?.remove() }

    /// Another program holds the store's write lock longer than the busy timeout (5 s): the
    /// daemon says so, keeps its read position, and stores every row once the lock is gone.
    func testLockedStoreDelaysButLosesNothing() throws {
        let rows = try DaemonHarness.generatedRows(2000, seed: 6)
        try daemon.harness.load()
        daemon.logFile = daemon.harness.directory.appendingPathComponent("ringbackd.log")
        try daemon.start()
        try daemon.wait { daemon.harness.poll(["status"]).isEmpty == false || FileManager.default.fileExists(atPath: daemon.harness.db) }
        let locker = Process()
        locker.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        locker.arguments = [daemon.harness.db]
        let input = Pipe()
        locker.standardInput = input
        let output = Pipe()
        locker.standardOutput = output
        try locker.run()
        input.fileHandleForWriting.write(Data("""
            BEGIN EXCLUSIVE;
            INSERT INTO meta(key, value) VALUES ('lock-test', 'x');
            SELECT 'holding the lock';

            """.utf8))
        let said = output.fileHandleForReading.availableData
        XCTAssertEqual(String(decoding: said, as: UTF8.self), "holding the lock\n")
        try daemon.append(rows[...], to: daemon.masterCSV)
        // The daemon gives up on its batch after the busy timeout and says why (a deadline
        // for a machine busy with the other tests; the wait ends when the log says so).
        try daemon.wait(seconds: 60) {
            (try? String(contentsOf: daemon.logFile!, encoding: .utf8))?.contains("the store is locked by another program") == true
        }
        XCTAssertLessThan(try daemon.storedRows(), rows.count, "nothing can be written while the lock is held")
        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        try input.fileHandleForWriting.close()
        locker.waitUntilExit()
        try daemon.wait(seconds: 30) { try daemon.storedRows() == rows.count }
        XCTAssertEqual(daemon.stop(), 0)
        let log = try String(contentsOf: daemon.logFile!, encoding: .utf8)
        XCTAssertTrue(log.contains("the store is locked by another program"), log)
        XCTAssertEqual(try daemon.harness.json(["quarantine"]).count, 0)
    }

    /// The store file deleted under a running daemon: it stops with the reason instead of
    /// writing into a file nobody can read.
    func testStoreDeletedUnderTheDaemonStopsIt() throws {
        try daemon.harness.load()
        daemon.logFile = daemon.harness.directory.appendingPathComponent("ringbackd.log")
        try daemon.start()
        try daemon.append(try DaemonHarness.generatedRows(50)[...], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() > 0 }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: daemon.harness.db + suffix) }
        let status = daemon.exitStatus(within: 20)
        XCTAssertNotNil(status, "the daemon stopped")
        XCTAssertNotEqual(status, 0)
        let log = try String(contentsOf: daemon.logFile!, encoding: .utf8)
        XCTAssertTrue(log.contains("was deleted or replaced while in use"), log)
    }

    /// A full disk: the source pauses and says so, and resumes without loss when there is
    /// room. Needs a small tmpfs, so root with mount rights; skipped elsewhere.
    func testFullDiskPausesTheSourceAndResumesWithoutLoss() throws {
        let mountPoint = URL(fileURLWithPath: "/tmp/rb-full-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        guard Self.shell("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint.path) == 0 else {
            throw XCTSkip("cannot mount a tmpfs here (needs root)")
        }
        defer { Self.shell("umount", "-l", mountPoint.path) }
        let full = try DaemonHarness(storePath: mountPoint.appendingPathComponent("ringback.db").path)
        defer { full.remove() }
        let rows = try DaemonHarness.generatedRows(6000, seed: 8)
        try full.harness.load()
        full.logFile = full.harness.directory.appendingPathComponent("ringbackd.log")
        try full.append(rows[...], to: full.masterCSV)
        try full.start()
        full.wait(seconds: 30) {
            (try? String(contentsOf: full.logFile!, encoding: .utf8))?.contains("the disk holding the store is full") == true
        }
        XCTAssertLessThan(try full.storedRows(), rows.count)
        XCTAssertEqual(Self.shell("mount", "-o", "remount,size=64m", mountPoint.path), 0)
        try full.wait(seconds: 60) { try full.storedRows() == rows.count }
        XCTAssertEqual(full.stop(), 0)
        XCTAssertEqual(try full.harness.json(["quarantine"]).count, 0)
    }

    @discardableResult
    static func shell(_ arguments: String...) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
