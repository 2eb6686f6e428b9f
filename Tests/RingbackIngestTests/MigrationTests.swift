import Foundation
import RingbackCore
@testable import RingbackStore
import XCTest

/// A store written by an earlier version opens with its rows intact under the current schema.
final class MigrationTests: XCTestCase {
    private var path: String!

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-migration-\(UUID().uuidString).db").path
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Version 2 keyed legs by digest alone and had no overdue flag: after migration, the
    /// legs keep their ids and links, a stored row is still recognised by its identity, and
    /// only the callback whose overdue alert exists counts as alerted.
    func testVersion2StoreKeepsItsLegsAndKnowsWhichOverdueAlertsWereRaised() throws {
        do {
            let old = try SQLiteConnection(path: path)
            try old.execute(SQLiteSchema.all[0])
            try old.execute(SQLiteSchema.all[1])
            try old.execute("""
                INSERT INTO legs (leg_id, digest, call_id, source, file, line, start, end, duration, billsec, disposition)
                VALUES (7, x'00112233445566778899aabbccddeeff', 'c1', 'pbx', 'Master.csv', 3, 1000, 1060, 60, 50, 'ANSWERED'),
                       (8, x'ffeeddccbbaa99887766554433221100', NULL, 'pbx', 'Master.csv', 4, 1100, 1110, 10, 0, 'NO ANSWER');
                INSERT INTO callbacks (callback_id, number, first_call_id, first_missed_at, due_at, state)
                VALUES (1, '+79160000001', 'c1', 1000, 2800, 'open'), (2, '+79160000002', 'c2', 1000, 2800, 'open');
                INSERT INTO alerts (kind, raised_at, call_id, callback_id) VALUES ('callback_overdue', 2800, 'c1', 1);
                PRAGMA user_version = 2;
                """)
        }
        let store = try Store(path: path)
        XCTAssertEqual(try store.connection.prepare("PRAGMA user_version").first { $0.int(0) }, Int64(SQLiteSchema.all.count))
        let digest = LegDigest(high: 0x0011_2233_4455_6677, low: 0x8899_aabb_ccdd_eeff).bytes
        XCTAssertEqual(try store.connection.prepare("SELECT leg_id, call_id, line FROM legs WHERE start = ? AND digest = ?")
            .first([.integer(1000), .blob(digest)]) { "\($0.int(0)) \($0.string(1)) \($0.int(2))" }, "7 c1 3")
        XCTAssertEqual(try store.nextLegID(), 9)
        XCTAssertEqual(try store.waitingLegs(sources: ["pbx"]).map(\.id), [8])
        let alerted = try store.connection.prepare("SELECT callback_id, overdue_alerted FROM callbacks ORDER BY callback_id")
            .rows { [$0.int(0), $0.int(1)] }
        XCTAssertEqual(alerted, [[1, 1], [2, 0]])
        XCTAssertEqual(try store.raiseDueAlerts(now: 5000, headID: nil), 1, "only callback 2 still needs its overdue alert")
    }

    /// Version 8 drops the index of alerts by call alone: a store of the previous release keeps
    /// its alerts, and every look-up by call (which names the kind) is answered by the
    /// (kind, call_id) key, not by reading the table through.
    func testAlertsOfTheLastReleaseAreStillFoundByCallWithoutTheirOldIndex() throws {
        do {
            let old = try SQLiteConnection(path: path)
            for migration in SQLiteSchema.all.dropLast() { try old.execute(migration) }
            try old.execute("""
                INSERT INTO alerts (kind, raised_at, call_id) VALUES ('no_contact', 1000, 'c1'), ('missed_call', 1000, 'c1');
                PRAGMA user_version = \(SQLiteSchema.all.count - 1);
                """)
        }
        let store = try Store(path: path)
        XCTAssertEqual(try store.connection.prepare("PRAGMA user_version").first { $0.int(0) }, Int64(SQLiteSchema.all.count))
        XCTAssertNil(try store.connection.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'alerts_call'").first { _ in true })
        XCTAssertFalse(try store.transaction {
            try store.raiseAlert(.noContact, at: 2000, managerID: nil, clientID: nil, number: nil, callID: "c1", callbackID: nil)
        }, "raised already")
        let plans = [
            "SELECT 1 FROM alerts WHERE kind = 'no_contact' AND call_id = 'c1'",
            "UPDATE alerts SET resolved_at = 1 WHERE kind = 'no_contact' AND call_id = 'c1'",
            "SELECT k.call_id FROM alerts a JOIN contact_checks k ON k.call_id = a.call_id WHERE a.kind = 'no_contact' AND a.resolved_at IS NULL",
        ]
        for sql in plans {
            let plan = try store.connection.prepareUncached("EXPLAIN QUERY PLAN " + sql).rows { $0.string(3) }.joined(separator: "; ")
            XCTAssertTrue(plan.contains("INDEX sqlite_autoindex_alerts_1 (kind=?"), "\(sql): \(plan)")
            XCTAssertFalse(plan.contains("SCAN"), "\(sql): \(plan)")
        }
    }

    /// Version 4: an alert or callback taken back when a number is judged again leaves its
    /// id unused for good; a hook's receiver drops repeats by alert_id.
    func testIdsOfAlertsAndCallbacksTakenBackAreNotHandedOutAgain() throws {
        let store = try Store(path: path)
        try store.transaction {
            XCTAssertTrue(try store.raiseAlert(.missedCall, at: 1000, managerID: nil, clientID: nil, number: "+79160000001",
                                               callID: "c1", callbackID: nil))
            try store.connection.execute("DELETE FROM alerts")
            XCTAssertTrue(try store.raiseAlert(.missedCall, at: 1000, managerID: nil, clientID: nil, number: "+79160000002",
                                               callID: "c2", callbackID: nil))
        }
        XCTAssertEqual(try store.connection.prepare("SELECT alert_id FROM alerts").first { $0.int(0) }, 2)
    }
}

/// A secrets file (`[web] secrets_path`) written before wallboards had an office.
final class SecretStoreMigrationTests: XCTestCase {
    func testAWallboardMadeBeforeOfficesStillShowsEveryOfficeAndANewOneKeepsItsOffice() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-secrets-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let old = try SQLiteConnection(path: path)
            try old.execute("""
                CREATE TABLE wallboards (sha256 BLOB PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
                INSERT INTO wallboards VALUES (x'01', 'sales-floor', 1000);
                """)
        }
        let secrets = try SecretStore(path: path, create: false)
        XCTAssertEqual(try secrets.wallboard(sha256: [1]), Wallboard(name: "sales-floor", office: nil))
        try secrets.addWallboard(name: "kazan-floor", office: "kzn", sha256: [2], now: 2000)
        XCTAssertEqual(try secrets.wallboard(sha256: [2]), Wallboard(name: "kazan-floor", office: "kzn"))
        XCTAssertNoThrow(try SecretStore(path: path, create: false), "opened again: the column is there once")
    }
}
