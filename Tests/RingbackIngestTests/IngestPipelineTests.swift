import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import XCTest

/// The pipeline with an injected clock, on a scratch store.
final class IngestPipelineTests: XCTestCase {
    /// Monotonic milliseconds the test moves by hand.
    final class ManualClock: @unchecked Sendable {
        var milliseconds: Int64 = 0
    }

    private var directory: URL!
    private let clock = ManualClock()
    private let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calls/ring-all-answered-by-one.csv")

    private var store: TestStore!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try TestStore(in: directory)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func pipeline() throws -> IngestPipeline {
        let configuration = try ConfigurationParser.parse("[numbers]\ncountry_code = \"7\"\ntrunk_prefix = \"8\"\n[calendar]\ntimezone = \"Europe/Moscow\"\n",
                                                          file: "test.toml")
        let store = try Store(self.store.location)
        let clock = self.clock
        return try IngestPipeline(store: store, configuration: configuration, clock: RingbackClock(
            wallSeconds: { Int64(Date().timeIntervalSince1970) }, monotonicMilliseconds: { clock.milliseconds }),
            resuming: ["pbx"])
    }

    private func batch(_ lines: [Substring], pendingBytes: Int64) throws -> RecordBatch {
        try batch(lines[...], pendingBytes: pendingBytes)
    }

    private func batch(_ lines: ArraySlice<Substring>, pendingBytes: Int64) throws -> RecordBatch {
        let source = SourceContext(name: "pbx", kind: .spool, dialect: .asterisk, columns: nil, zone: ZoneConverter(identifier: "Europe/Moscow")!)
        var batch = RecordBatch(source: source, file: fixture.path)
        var decoder = try source.makeDecoder()
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        bytes.withUnsafeBufferPointer { _ = batch.decode($0, firstLine: 1, final: false, decoder: &decoder) }
        batch.pendingBytes = pendingBytes
        batch.moreToRead = pendingBytes > 0
        return batch
    }

    /// A ring-all call whose two rows fall into two reads of a large file: however long the
    /// second read takes, the call is completed with both rows, so it is answered.
    func testCallSplitAcrossReadsOfAFileStillBeingReadIsHeld() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let pipeline = try pipeline()
        try pipeline.commit(try batch(lines[0..<1], pendingBytes: 4096))
        clock.milliseconds += 5_000
        XCTAssertEqual(try pipeline.tick().calls, 0, "the file has unread bytes: its last call may go on")
        let result = try pipeline.commit(try batch(lines[1...], pendingBytes: 0))
        clock.milliseconds += 200
        let completed = result.calls + (try pipeline.tick().calls)
        XCTAssertEqual(completed, 1)
        XCTAssertEqual(try pipeline.store.missed(since: .min, until: .max, at: .max, managerID: nil, office: nil).count, 0)
    }

    /// Once the source is read to its end, the last call is completed after `settle_ms`.
    func testLastCallIsCompletedAfterSettle() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        let pipeline = try pipeline()
        XCTAssertEqual(try pipeline.commit(try batch(lines[...], pendingBytes: 0)).calls, 0)
        clock.milliseconds += 50
        XCTAssertEqual(try pipeline.tick().calls, 0)
        clock.milliseconds += 60
        XCTAssertEqual(try pipeline.tick().calls, 1)
    }

    /// Legs stored for a call not yet complete come back after a restart.
    func testWaitingLegsSurviveARestart() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        try pipeline().commit(try batch(lines[...], pendingBytes: 0))
        let restarted = try pipeline()
        XCTAssertTrue(restarted.hasWaitingLegs)
        XCTAssertEqual(try restarted.finish().calls, 1)
        XCTAssertFalse(restarted.hasWaitingLegs)
    }

    /// A row repeated inside one read (a file concatenated with itself) is one CDR.
    func testTheSameRowTwiceInOneReadIsStoredOnce() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        let pipeline = try pipeline()
        let result = try pipeline.commit(try batch([lines[0], lines[1], lines[0]], pendingBytes: 0), flush: true)
        XCTAssertEqual(result.stored, 2)
        XCTAssertEqual(result.duplicates, 1)
        XCTAssertEqual(result.calls, 1)
        XCTAssertEqual(try legCount(call: "1773126000.2"), 2)
    }

    /// Legs of a call completed in the same read are stored linked to it; a leg that arrives
    /// after its call was judged joins the call, and the call is judged again with it: the
    /// answer in the late row takes back the callback and the missed-call alert.
    func testLegArrivingAfterItsCallWasCompletedJoinsItAndJudgesItAgain() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        let pipeline = try pipeline()
        XCTAssertEqual(try pipeline.commit(try batch(lines[0..<1], pendingBytes: 0), flush: true).calls, 1)
        XCTAssertEqual(try pipeline.store.missed(since: .min, until: .max, at: .max, managerID: nil, office: nil).count, 1)
        XCTAssertEqual(try pipeline.store.counts()["alerts"], 2, "missed, and overdue by now")
        let late = try pipeline.commit(try batch(lines[1...], pendingBytes: 0), flush: true)
        XCTAssertEqual(late.stored, 1)
        XCTAssertEqual(late.rejudgedNumbers, 1)
        XCTAssertEqual(try legCount(call: "1773126000.2"), 2)
        XCTAssertEqual(try legCount(call: nil), 0)
        XCTAssertEqual(try pipeline.store.missed(since: .min, until: .max, at: .max, managerID: nil, office: nil).count, 0)
        XCTAssertEqual(try pipeline.store.counts()["callbacks"], 0, "answered: no callback")
        XCTAssertEqual(try pipeline.store.counts()["alerts"], 0, "the missed-call alert is taken back")
    }

    /// The same late row again changes nothing: the call is not judged a third time.
    func testALateRowThatChangesNothingDoesNotJudgeAgain() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        let pipeline = try pipeline()
        try pipeline.commit(try batch(lines[1...], pendingBytes: 0), flush: true)
        let late = try pipeline.commit(try batch(lines[0..<1], pendingBytes: 0), flush: true)
        XCTAssertEqual(late.stored, 1)
        XCTAssertEqual(late.rejudgedNumbers, 0, "102 answered either way")
        XCTAssertEqual(try legCount(call: "1773126000.2"), 2)
    }

    /// `quarantine --retry`: the row leaves the quarantine in the transaction that stores it,
    /// so a commit that fails keeps it quarantined.
    func testARetriedRowLeavesTheQuarantineOnlyWithItsCommit() throws {
        let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
        let pipeline = try pipeline()
        let store = pipeline.store
        try store.transaction {
            try store.quarantine(RejectedRecord(file: fixture.path, line: 1, reason: "test", raw: Array(lines[0].utf8)),
                                 source: "pbx", dialect: "asterisk", timeZone: "Europe/Moscow", now: 0)
        }
        let id = try XCTUnwrap(try store.quarantined().first?.id)
        var retry = try batch(lines[0..<1], pendingBytes: 0)
        retry.quarantineIDs = [id]
        _ = try self.store.query("ALTER TABLE legs RENAME TO legs_away")
        XCTAssertThrowsError(try pipeline.commit(retry))
        XCTAssertEqual(try store.quarantined().map(\.id), [id], "the failed commit took nothing out")
        _ = try self.store.query("ALTER TABLE legs_away RENAME TO legs")
        XCTAssertEqual(try pipeline.commit(retry).stored, 1)
        XCTAssertEqual(try store.quarantined().count, 0)
    }

    /// Legs linked to `callID`, or not linked to any call when it is nil.
    private func legCount(call callID: String?) throws -> Int {
        // Call ids are digits and dots: safe to write into the statement.
        let condition = callID.map { "call_id = '\($0)'" } ?? "call_id IS NULL"
        return Int(try store.query("SELECT count(*) FROM legs WHERE \(condition)")) ?? -1
    }
}

/// `ringback ingest` of a large file: its calls classified on the second core, the rows a
/// repeated read stored before told from their bytes on the decoding thread.
final class FileIngestorTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// Inbound calls 30 s apart from 120 numbers, every third one missed.
    private func rows(_ range: Range<Int>) -> String {
        range.map { i in
            let start = 1_772_434_800 + Int64(i) * 30  // 2026-03-02 10:00 Moscow
            func time(_ t: Int64) -> String {
                let c = ZoneConverter(identifier: "Europe/Moscow")!.civil(of: t)
                return String(format: "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day, c.hour, c.minute, c.second)
            }
            let number = String(format: "8916555%04d", i % 120)
            let missed = i % 3 == 0
            let answer = missed ? "" : "\"\(time(start + 5))\""
            let end = start + (missed ? 20 : 65)
            let id = "1772434800.\(i)"
            return "\"\",\"\(number)\",\"74951112233\",\"from-trunk\",\"\"\"\"\" <\(number)>\",\"PJSIP/trunk-\(i)\",\"PJSIP/101-\(i)\","
                + "\"Dial\",\"PJSIP/101,30\",\"\(time(start))\",\(answer),\"\(time(end))\",\(end - start),\(missed ? 0 : 60),"
                + "\"\(missed ? "NO ANSWER" : "ANSWERED")\",\"DOCUMENTATION\",\"\(id)\",\"\",\"\",\"\(id)\",0\n"
        }.joined()
    }

    private func ingest(_ text: String, into store: TestStore, chunkSize: Int) throws -> BatchResult {
        let file = directory.appendingPathComponent("Master-\(UUID().uuidString).csv")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try ConfigurationParser.parse(
            "[numbers]\ncountry_code = \"7\"\ntrunk_prefix = \"8\"\n[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "test.toml")
        var ingestor = FileIngestor(pipeline: try IngestPipeline(store: try Store(store.location), configuration: configuration))
        ingestor.chunkSize = chunkSize
        let source = SourceContext(name: "ingest", kind: .command, dialect: .asterisk, columns: nil,
                                   zone: ZoneConverter(identifier: "Europe/Moscow")!)
        return try ingestor.ingest(path: file.path, source: source)
    }

    private func answers(_ store: TestStore) throws -> String {
        try store.query("""
            SELECT call_id, direction, number, answered, callback_id FROM calls ORDER BY call_id;
            SELECT callback_id, number, state, missed_count, attempt_count, resolution_call_id FROM callbacks ORDER BY callback_id;
            SELECT kind, call_id, callback_id, resolved_at FROM alerts ORDER BY kind, call_id;
            """)
    }

    /// The same calls, callbacks and alerts whether a batch's calls were classified on the
    /// second core (one large read) or on the pipeline's own thread (reads of a few calls).
    func testCallsClassifiedOnTheSecondCoreGiveTheSameAnswers() throws {
        let text = rows(0..<600)
        let whole = try TestStore(in: directory, "whole")
        let small = try TestStore(in: directory, "small")
        XCTAssertEqual(try ingest(text, into: whole, chunkSize: 1 << 20).calls, 600)
        XCTAssertEqual(try ingest(text, into: small, chunkSize: 4096).calls, 600)
        let expected = try answers(whole)
        XCTAssertTrue(expected.contains("|open|"), "some callbacks stay open")
        XCTAssertTrue(expected.contains("missed_call|"), "missed calls raise alerts")
        XCTAssertEqual(try answers(small), expected)
    }

    /// A file read again stores nothing and counts every row; one that repeats the first half
    /// and brings a second stores the second alone, and the store answers as if the whole
    /// file had been read once.
    func testAFileReadAgainStoresOnlyWhatIsNew() throws {
        let once = try TestStore(in: directory, "once")
        let twice = try TestStore(in: directory, "twice")
        XCTAssertEqual(try ingest(rows(0..<600), into: once, chunkSize: 8192).stored, 600)
        XCTAssertEqual(try ingest(rows(0..<300), into: twice, chunkSize: 8192).stored, 300)
        let again = try ingest(rows(0..<300), into: twice, chunkSize: 8192)
        XCTAssertEqual([again.stored, again.duplicates, again.calls], [0, 300, 0])
        let rest = try ingest(rows(0..<600), into: twice, chunkSize: 8192)
        XCTAssertEqual([rest.stored, rest.duplicates], [300, 300])
        XCTAssertEqual(try answers(twice), try answers(once))
    }

    /// One old row among new ones: the span of their starts holds far more stored rows than
    /// the read asks about, so they are asked about one by one; the answer is the same.
    func testAnOldRowAmongNewOnesIsStillKnown() throws {
        let store = try TestStore(in: directory, "store")
        XCTAssertEqual(try ingest(rows(0..<600), into: store, chunkSize: 1 << 20).stored, 600)
        let mixed = try ingest(rows(0..<1) + rows(600..<610), into: store, chunkSize: 1 << 20)
        XCTAssertEqual([mixed.stored, mixed.duplicates], [10, 1])
        XCTAssertEqual(try store.query("SELECT count(*) FROM legs"), "610")
    }
}
