import Foundation
import RingbackTestSupport
import XCTest

/// The `freeswitch` and `mapped` dialects through the CLI and the daemon.
final class DialectTests: XCTestCase {
    private func fixture(_ name: String) -> URL { RingbackHarness.fixtures.appendingPathComponent("mapped/\(name)") }

    func testFreeSWITCHFileThroughIngest() throws {
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load()
        let output = try harness.run(["ingest", fixture("freeswitch-example.csv").path, "--dialect", "freeswitch"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let missed = try harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
        XCTAssertEqual(missed.count, 1)
        XCTAssertEqual(missed.first?.text("number"), "+74951234567")
        XCTAssertEqual(missed.first?.text("callback_state"), "called_back")
        XCTAssertEqual(missed.first?.text("resolved_by"), "m1")
    }

    /// A file under a configured `mapped` source takes that source's mapping; the row whose
    /// result word the table lacks goes to quarantine, the others are kept.
    func test3CXExportUnderAMappedSource() throws {
        let scratch = try RingbackHarness()
        defer { scratch.remove() }
        let exports = scratch.directory.appendingPathComponent("3cx")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        let preset = try String(contentsOf: RingbackHarness.repository.appendingPathComponent("Config/presets/3cx.toml"),
                                encoding: .utf8).replacingOccurrences(of: "/srv/exports/3cx", with: exports.path)
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"),
                              encoding: .utf8)
        let config = scratch.directory.appendingPathComponent("ringback.toml")
        try (base + "\n" + preset).write(to: config, atomically: true, encoding: .utf8)
        let harness = try RingbackHarness(config: config.path, sharing: scratch)
        try harness.load()
        let file = exports.appendingPathComponent("calls.csv")
        try FileManager.default.copyItem(at: fixture("3cx.csv"), to: file)

        let output = try harness.run(["ingest", file.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("1 rows rejected"), output.stdout)
        let missed = try harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
        XCTAssertEqual(missed.map { $0.text("number") }, ["+74951234567"])
        XCTAssertEqual(missed.first?.text("manager_id"), "m1", "a direct call to 101 belongs to its manager")
        XCTAssertEqual(missed.first?.text("callback_state"), "called_back")
        let quarantined = try harness.json(["quarantine"])
        XCTAssertEqual(quarantined.count, 1)
        XCTAssertTrue(quarantined.first?.text("reason")?.contains("Transferred") == true)

        // The admin teaches the source the word; the retry reads the file's header again.
        let fixed = scratch.directory.appendingPathComponent("fixed.toml")
        try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "answered = [\"Answered\"]", with: "answered = [\"Answered\", \"Transferred\"]")
            .write(to: fixed, atomically: true, encoding: .utf8)
        let retried = try RingbackHarness(config: fixed.path, sharing: scratch).run(["quarantine", "--retry"])
        XCTAssertEqual(retried.status, 0, retried.stderr)
        XCTAssertTrue(retried.stdout.contains("1 rows stored, 0 still refused"), retried.stdout)
    }

    /// The daemon restarted in the middle of a header-mapped file reads the header again
    /// before the new rows.
    func testDaemonResumesAHeaderMappedFileAfterARestart() throws {
        let daemon = try DaemonHarness(sourceSettings: """
            files = "*.csv"
            dialect = "mapped"
            [source.mapping]
            start = "Time"
            src = "Call From"
            dst = "Call To"
            duration = "Call Duration(s)"
            billsec = "Talk Duration(s)"
            disposition = "Status"
            [source.results]
            answered = ["ANSWERED"]
            no_answer = ["NO ANSWER", "VOICEMAIL"]
            """)
        defer { daemon.remove() }
        let lines = try String(contentsOf: fixture("yeastar.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        let export = daemon.spool.appendingPathComponent("cdr.csv")
        try daemon.harness.load()
        try daemon.append(lines[0..<2], to: export)
        try daemon.start()
        try daemon.wait { try daemon.storedRows() == 1 }
        XCTAssertEqual(daemon.stop(), 0)
        try daemon.append(lines[2...], to: export)
        try daemon.start()
        let missed = { try daemon.harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"]) }
        try daemon.wait { try missed().count == 2 }
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(try daemon.storedRows(), 3)
        XCTAssertEqual(try daemon.harness.json(["quarantine"]).count, 0)
        XCTAssertEqual(try missed().compactMap { $0.text("number") }.sorted(), ["+74951234567", "+74957654321"])
    }

    /// `ingest --dialect ami` replays a saved session; the same CDR read again from
    /// Master.csv is stored once.
    func testAMICaptureReplayAndTheSameCDRFromCSVStoredOnce() throws {
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load()
        let ami = RingbackHarness.fixtures.appendingPathComponent("ami/callback-before-due.ami").path
        let replay = try harness.run(["ingest", ami, "--dialect", "ami"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(replay.stdout.contains("2 rows stored, 0 already stored"), replay.stdout)
        let csv = try harness.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/callback-before-due.csv").path])
        XCTAssertTrue(csv.stdout.contains("0 rows stored, 2 already stored"), csv.stdout)
        XCTAssertEqual(try harness.json(["missed", "--since", "2026-03-10"]).first?.text("callback_state"), "called_back")

        let session = try SharedSamples.url("ami-asterisk11-session.txt").path
        let clean = try harness.run(["ingest", session, "--dialect", "ami"])
        XCTAssertEqual(clean.status, 0, clean.stderr)
        XCTAssertTrue(clean.stdout.contains("0 rows stored, 0 already stored"), clean.stdout)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 0)
    }
}
