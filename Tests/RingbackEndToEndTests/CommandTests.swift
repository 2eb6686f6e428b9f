import Foundation
import RingbackTestSupport
import XCTest

/// The CLI contract of SPEC §6: ack, resolve, assign, quarantine, status, exit codes, formats.
final class CommandTests: XCTestCase {
    var harness: RingbackHarness!
    override func setUpWithError() throws { harness = try RingbackHarness() }
    override func tearDown() { harness.remove() }

    func testIngestingTheSameFileTwiceChangesNothing() throws {
        try harness.load("three-misses", "callback-after-due")
        let before = (try harness.json(["missed", "--since", "2026-03-01"]).count, try harness.json(["alerts"]).count)
        let again = try harness.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/three-misses.csv").path])
        XCTAssertTrue(again.stdout.contains("0 rows stored, 6 already stored"), again.stdout)
        let after = (try harness.json(["missed", "--since", "2026-03-01"]).count, try harness.json(["alerts"]).count)
        XCTAssertEqual(before.0, after.0)
        XCTAssertEqual(before.1, after.1)
    }

    func testRotatedFilesAreReadOldestFirstWhateverTheArgumentOrder() throws {
        // The missed call is in the rotated file, its callback in the live one; a shell glob
        // `Master.csv*` names the live file first.
        let rows = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("calls/callback-before-due.csv"),
                              encoding: .utf8).split(separator: "\n")
        let live = harness.directory.appendingPathComponent("Master.csv")
        let rotated = harness.directory.appendingPathComponent("Master.csv.1")
        try (rows[0] + "\n").write(to: rotated, atomically: true, encoding: .utf8)
        try (rows[1] + "\n").write(to: live, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -3600)], ofItemAtPath: rotated.path)
        try harness.load()
        XCTAssertEqual(try harness.run(["ingest", live.path, rotated.path]).status, 0)
        XCTAssertEqual(try harness.json(["missed", "--since", "2026-03-10"]).first?.text("callback_state"), "called_back")
    }

    func testAckResolveAndAssign() throws {
        try harness.load("ring-group-nobody-answers", "three-misses")
        let open = try harness.json(["pending"])
        XCTAssertEqual(open.count, 2)
        let first = try XCTUnwrap(open[0].int("callback_id"))
        XCTAssertEqual(try harness.run(["assign", String(first), "--manager", "m2"]).status, 0)
        XCTAssertEqual(try harness.json(["pending", "--manager", "m2"]).count, 1)
        XCTAssertEqual(try harness.run(["assign", String(first), "--manager", "nobody"]).status, 1)
        XCTAssertEqual(try harness.run(["resolve", String(first), "--reason", "spam"]).status, 0)
        XCTAssertEqual(try harness.json(["pending"]).count, 1)
        XCTAssertEqual(try harness.run(["resolve", String(first), "--reason", "again"]).status, 1, "already closed")
        let closed = try harness.json(["missed", "--since", "2026-03-10"]).filter { $0.int("callback_id") == first }
        XCTAssertEqual(closed.first?.text("callback_state"), "closed")
        let alert = try XCTUnwrap(try harness.json(["alerts", "--state", "open"]).first?.int("alert_id"))
        XCTAssertEqual(try harness.run(["ack", String(alert)]).status, 0)
        XCTAssertEqual(try harness.json(["alerts", "--state", "acknowledged"]).first?.int("alert_id"), alert)
        XCTAssertEqual(try harness.run(["ack", "999999"]).status, 1)
    }

    func testPendingWithoutManagerShowsTheCallersOwn() throws {
        let login = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let managers = harness.directory.appendingPathComponent("managers.csv")
        let fixture = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/managers.csv"), encoding: .utf8)
        try fixture.replacingOccurrences(of: ",anna,", with: ",\(login),").write(to: managers, atomically: true, encoding: .utf8)
        try harness.load("unknown-number-direct", "ring-group-nobody-answers")
        XCTAssertEqual(try harness.json(["pending"]).count, 2, "not yet a manager: everything")
        XCTAssertEqual(try harness.run(["import", "managers", managers.path]).status, 0)
        let mine = try harness.json(["pending"])
        XCTAssertEqual(mine.count, 1)
        XCTAssertEqual(mine.first?.text("manager_id"), "m1")
        XCTAssertEqual(try harness.json(["pending", "--manager", "h1"]).count, 0)
    }

    func testCSVAndTableFormats() throws {
        try harness.load("three-misses")
        let csv = try harness.run(["pending", "--format", "csv"]).stdout.split(separator: "\n")
        XCTAssertEqual(csv.first, "callback_id,number,client_id,client_name,abc,manager_id,first_missed_at,last_missed_at,missed_count,attempts,due_at,overdue,state")
        XCTAssertEqual(csv.count, 2)
        let table = try harness.run(["pending"]).stdout
        XCTAssertTrue(table.contains("+79035550707"), table)
    }

    func testBadUsageExitsOneAndMissingStoreExitsTwo() throws {
        XCTAssertEqual(try harness.run(["pending", "--at", "yesterday-ish"]).status, 1)
        XCTAssertEqual(try harness.run(["alerts", "--kind", "nonsense"]).status, 1)
        XCTAssertEqual(try harness.run(["frobnicate"]).status, 1)
        XCTAssertEqual(try harness.run(["pending"]).status, 2, "no store yet")
    }

    func testBadConfigurationIsRefusedWithLine() throws {
        let bad = harness.directory.appendingPathComponent("bad.toml")
        try "[calls]\nmin_talk = 5\nmax_talk = 9\n".write(to: bad, atomically: true, encoding: .utf8)
        let broken = try RingbackHarness(config: bad.path, sharing: harness)
        let output = try broken.run(["pending"])
        XCTAssertEqual(output.status, 1)
        XCTAssertTrue(output.stderr.contains("bad.toml:3"), output.stderr)
        XCTAssertTrue(output.stderr.contains("max_talk"), output.stderr)
    }

    func testProductionSampleGoesThroughWholeInGMT() throws {
        try harness.load()
        let file = try SharedSamples.url("asterisk-21col-production-anonymized.csv").path
        let output = try harness.run(["ingest", file, "--time-zone", "UTC"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("84 rows stored"), output.stdout)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 0)
        let calls = try harness.json(["missed", "--since", "2024-01-27", "--until", "2024-01-29"])
        XCTAssertFalse(calls.isEmpty)
        // 15:07:24 GMT is 18:07:24 in Moscow, the fixture configuration's zone.
        XCTAssertEqual(calls.first?.text("started_at"), "2024-01-27T18:07:24+03:00")
        XCTAssertEqual(calls.first?.text("number"), "+79972281866")
    }

    /// The same CDRs as written by Asterisk's stock cdr.conf: 18 columns, no linkedid.
    private func withoutLinkedID(_ source: URL) throws -> URL {
        let data = try Data(contentsOf: source)
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        for index in lines.indices {
            // peeraccount, linkedid and sequence are the last three columns; none holds a comma.
            var cut = lines[index].endIndex
            for _ in 0..<3 { cut = lines[index][..<cut].lastIndex(of: UInt8(ascii: ","))! }
            lines[index] = lines[index][..<cut]
        }
        let target = harness.directory.appendingPathComponent("18-\(source.lastPathComponent)")
        try Data(lines.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")]).write(to: target)
        return target
    }

    func testEighteenColumnFileAssemblesLocalChannelsLikeLinkedID() throws {
        let sample = try SharedSamples.url("asterisk-21col-production-anonymized.csv")
        let eighteen = try withoutLinkedID(sample)
        let other = try RingbackHarness()
        defer { other.remove() }
        XCTAssertEqual(try harness.run(["ingest", sample.path, "--time-zone", "UTC"]).status, 0)
        XCTAssertEqual(try other.run(["ingest", eighteen.path, "--time-zone", "UTC"]).status, 0)
        func summary(_ h: RingbackHarness) throws -> [String] {
            try h.json(["missed", "--since", "2024-01-27", "--until", "2024-01-29"]).map {
                "\($0.text("started_at") ?? "") \($0.text("number") ?? "") \($0.text("extension") ?? "-") \($0.text("callback_state") ?? "")"
            }
        }
        XCTAssertEqual(try summary(other), try summary(harness))
        XCTAssertEqual(try other.json(["quarantine"]).count, 0)
    }

    func testEighteenColumnQueueAnsweredThroughLocalIsAnswered() throws {
        try harness.load()
        let file = try withoutLinkedID(RingbackHarness.fixtures.appendingPathComponent("calls/queue-answered-via-local.csv"))
        XCTAssertEqual(try harness.run(["ingest", file.path]).status, 0)
        XCTAssertEqual(try harness.json(["missed", "--since", "2026-03-10"]).count, 0)
        XCTAssertEqual(try harness.json(["alerts", "--kind", "no_contact"]).first?.text("manager_id"), "m2")
    }

    func testCdrCustomFileIsQuarantinedNeverMisread() throws {
        try harness.load()
        let file = try SharedSamples.url("asterisk-cdr_custom-19col-lab.csv").path
        let output = try harness.run(["ingest", file])
        XCTAssertEqual(output.status, 1, "nothing in the file could be read")
        let rejected = try harness.json(["quarantine"])
        XCTAssertFalse(rejected.isEmpty)
        XCTAssertTrue(rejected.allSatisfy { ($0.text("reason") ?? "").contains("cdr_custom") })
        XCTAssertEqual(rejected.first?.int("line"), 1)
        XCTAssertEqual(try harness.json(["missed", "--since", "2020-01-01"]).count, 0)
        XCTAssertEqual(try harness.run(["quarantine", "--purge"]).status, 0)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 0)
    }

    func testMalformedRowsAreQuarantinedAndGoodRowsKept() throws {
        try harness.load()
        let good = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("calls/three-misses.csv"), encoding: .utf8)
        let lines = good.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6)
        let mixed = [lines[0], "\"broken,\"row", lines[1], lines[2], lines[3], "\"only\",\"two\"", lines[4], lines[5]]
            .joined(separator: "\n") + "\n"
        let file = harness.directory.appendingPathComponent("mixed.csv")
        try mixed.write(to: file, atomically: true, encoding: .utf8)
        let output = try harness.run(["ingest", file.path])
        XCTAssertEqual(output.status, 0)
        XCTAssertEqual(try harness.json(["missed", "--since", "2026-03-10"]).count, 3)
        let rejected = try harness.json(["quarantine"])
        XCTAssertEqual(rejected.compactMap { $0.int("line") }, [2, 6])
        XCTAssertTrue(rejected.allSatisfy { $0.text("file") == file.path })
    }

    func testQuarantineRetryAfterConfigurationFix() throws {
        // Rows refused under a wrong declared layout are stored once the layout is fixed.
        let spool = harness.directory.appendingPathComponent("cdr")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        let fixture = RingbackHarness.fixtures.appendingPathComponent("calls/three-misses.csv")
        try FileManager.default.copyItem(at: fixture, to: spool.appendingPathComponent("Master.csv"))
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"), encoding: .utf8)
        let wrong = harness.directory.appendingPathComponent("wrong.toml")
        try (base + "\n[[source]]\nkind = \"spool\"\npath = \"\(spool.path)\"\ncolumns = [\"uniqueid\"]\n")
            .write(to: wrong, atomically: true, encoding: .utf8)
        let fixed = harness.directory.appendingPathComponent("fixed.toml")
        try (base + "\n[[source]]\nkind = \"spool\"\npath = \"\(spool.path)\"\ncolumns = \"auto\"\n")
            .write(to: fixed, atomically: true, encoding: .utf8)
        let before = try RingbackHarness(config: wrong.path, sharing: harness)
        let output = try before.run(["ingest", spool.appendingPathComponent("Master.csv").path])
        XCTAssertEqual(output.status, 1)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 6)
        let after = try RingbackHarness(config: fixed.path, sharing: harness)
        XCTAssertEqual(try after.run(["quarantine", "--retry"]).status, 0)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 0)
        XCTAssertEqual(try harness.json(["missed", "--since", "2026-03-10"]).count, 3)
    }

    func testStatusReportsSources() throws {
        try harness.load("three-misses")
        let sources = try harness.json(["status"])
        XCTAssertEqual(sources.first?.text("state"), "ok")
        XCTAssertEqual(sources.first?.int("rows"), 6)
    }

    /// SPEC §6: the common options before the subcommand's name mean what they mean after it.
    func testCommonOptionsMayStandBeforeTheSubcommand() throws {
        try harness.load("three-misses")
        let after = try harness.run(exactly: ["pending", "--at", "2026-03-10 12:00", "--format", "json",
                                              "--config", harness.config] + harness.storeArguments)
        let before = try harness.run(exactly: ["--config", harness.config] + harness.storeArguments + ["--format", "json",
                                               "--at=2026-03-10 12:00", "pending"])
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stdout, after.stdout)
        XCTAssertTrue(before.stdout.contains("\"callback_id\""), before.stdout)
        let nested = try harness.run(exactly: ["--config", harness.config] + harness.storeArguments + ["quarantine"])
        XCTAssertEqual(nested.status, 0, nested.stderr)
    }

    /// `ringback backup`: a consistent copy while the daemon writes, never over a file.
    func testBackupIsAConsistentCopyWhileTheDaemonWrites() throws {
        if TestStore.onPostgres {
            try harness.load()
            let refused = try harness.run(["backup", harness.directory.appendingPathComponent("backup.db").path])
            XCTAssertNotEqual(refused.status, 0)
            XCTAssertTrue(refused.stderr.contains("pg_dump"), "a PostgreSQL store is backed up by its own tools: \(refused.stderr)")
            return
        }
        let daemon = try DaemonHarness()
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        let rows = try DaemonHarness.generatedRows(20_000, seed: 4)
        try daemon.append(rows[...], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() > 0 }
        let copy = daemon.harness.directory.appendingPathComponent("backup.db").path
        let made = try daemon.harness.run(["backup", copy])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.contains("copied to \(copy)"), made.stdout)
        XCTAssertEqual(try SQLiteShell.run("PRAGMA integrity_check", on: copy), "ok")
        let copied = Int(try SQLiteShell.run("SELECT count(*) FROM legs", on: copy)) ?? 0
        XCTAssertGreaterThan(copied, 0)
        // Every copied leg that belongs to a call has its call: one snapshot, not a torn read.
        XCTAssertEqual(try SQLiteShell.run("SELECT count(*) FROM legs l WHERE l.call_id IS NOT NULL "
                                           + "AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.call_id = l.call_id)", on: copy), "0")
        let again = try daemon.harness.run(["backup", copy])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("exists"), again.stderr)
        try daemon.wait { try daemon.storedRows() == rows.count }
        XCTAssertEqual(daemon.stop(), 0)
    }
}
