import Foundation
import RingbackCore
import RingbackStore
import RingbackTestSupport
import XCTest

/// Several connections to one store in one process (ringback-web has a reader and a writer
/// beside the daemon): none may cost another its SQLite locks.
final class StoreConnectionsTests: XCTestCase {
    private var path: String!

    override func setUp() {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-connections-\(UUID().uuidString).db").path
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Opening a second `Store` once opened and closed the file to test access, which drops
    /// every POSIX lock of the process on it: the next program to close the store believed
    /// itself the last, removed the WAL, and this process's next commit went into a removed
    /// file. Found by the API's contacts test.
    func testAnotherConnectionInTheProcessLeavesTheLocksOfTheFirst() throws {
        let daemon = try Store(path: path)
        let reader = try Store(path: path, create: false, access: .read)
        let writer = try Store(path: path, create: false, access: .write)
        XCTAssertEqual(try reader.counts()["contacts"], 0)
        XCTAssertEqual(try SQLiteShell.run("SELECT count(*) FROM contacts", on: path), "0", "another program reads and closes")
        let contact = Contact(id: "k1", createdAt: 1000, managerID: nil, clientID: "c1", phone: nil, kind: "call", note: "")
        try writer.transaction { _ = try writer.upsertContacts([contact], now: 1000) }
        XCTAssertEqual(try SQLiteShell.run("SELECT count(*) FROM contacts", on: path), "1", "the commit is in the store")
        XCTAssertEqual(try daemon.counts()["contacts"], 1)
    }

    /// The web side's answer cache keys on this: it must change with every commit by any
    /// other connection (another program's too), and only then.
    func testTheSnapshotKeyChangesWithEveryOtherCommitAndOnlyThen() throws {
        let daemon = try Store(path: path)
        let reader = try Store(path: path, create: false, access: .read)
        let other = try Store(path: path, create: false, access: .read)
        let first = try reader.reading { try reader.snapshotKey() }
        XCTAssertEqual(try reader.reading { try reader.snapshotKey() }, first, "nothing committed: the same snapshot")
        XCTAssertNotEqual(try other.reading { try other.snapshotKey() }, first, "another connection is another cache")
        try daemon.recordDaemonHeartbeat(now: 1)
        let second = try reader.reading { try reader.snapshotKey() }
        XCTAssertNotEqual(second, first, "a commit in this process")
        _ = try SQLiteShell.run("INSERT INTO meta(key, value) VALUES ('probe', '1')", on: path)
        XCTAssertNotEqual(try reader.reading { try reader.snapshotKey() }, second, "a commit by another program")
    }
}
