import Foundation
import RingbackTestSupport
import XCTest

/// The FreePBX-shaped calls (SPEC §3): what a manager sees of each, in 21 and 18 columns, and
/// the same answers whichever way the rows reach Ringback — a one-shot `ringback ingest`,
/// the daemon tailing `Master.csv` as Asterisk appends the rows one by one, or AMI events.
final class FreePBXCallTests: XCTestCase {
    private var harnesses: [RingbackHarness] = []
    override func tearDown() { harnesses.forEach { $0.remove() } }

    /// A store loaded with the directory and one fixture by `ringback ingest`.
    private func ingested(_ names: [String], _ columns: FreePBXFixture.Columns) throws -> RingbackHarness {
        let harness = try RingbackHarness()
        harnesses.append(harness)
        try harness.load()
        let file = harness.directory.appendingPathComponent("Master.csv")
        try names.flatMap { try FreePBXFixture.rows($0, columns) }.map { $0 + "\n" }.joined()
            .write(to: file, atomically: true, encoding: .utf8)
        let output = try harness.run(["ingest", file.path])
        XCTAssertEqual(output.status, 0, output.stderr)
        return harness
    }

    /// Runs `check` on the fixture ingested in both column layouts.
    private func each(_ name: String, _ check: (_ missed: [[String: Any]], _ harness: RingbackHarness) throws -> Void) throws {
        for columns in FreePBXFixture.Columns.allCases {
            let harness = try ingested([name], columns)
            let missed = try harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
            let failuresBefore = testRun?.failureCount ?? 0
            try check(missed, harness)
            if (testRun?.failureCount ?? 0) > failuresBefore { XCTFail("the failures above: \(name) in \(columns.rawValue) columns") }
        }
    }

    private func noContactManagers(_ harness: RingbackHarness) throws -> [String?] {
        try harness.json(["alerts", "--kind", "no_contact"]).map { $0.text("manager_id") }
    }

    func testQueueAnsweredByAMemberIsAnsweredByThatMember() throws {
        try each("queue-answered") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m2"], "102 answered through Local/102@from-queue")
        }
    }

    func testQueueAbandonedIsMissedAndUnassigned() throws {
        try each("queue-abandoned") { missed, harness in
            XCTAssertEqual(missed.count, 1)
            XCTAssertEqual(missed.first?.text("number"), "+79035550401")
            XCTAssertEqual(missed.first?.isNull("manager_id"), true, "two members rang")
            XCTAssertEqual(try harness.json(["pending"]).count, 1)
        }
    }

    func testQueueMemberRejectsBusyAndAnotherAnswers() throws {
        try each("queue-busy-then-answered") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m2"])
        }
    }

    func testRingGroupAnsweredThroughLocalChannels() throws {
        try each("ringgroup-answered") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m1"])
        }
    }

    func testRingGroupNobodyAnswersIsMissed() throws {
        try each("ringgroup-missed") { missed, _ in
            XCTAssertEqual(missed.count, 1)
            XCTAssertEqual(missed.first?.isNull("manager_id"), true)
            XCTAssertEqual(missed.first?.bool("voicemail"), false)
        }
    }

    func testFollowMeAnsweredOnTheManagersMobileIsTheirAnswer() throws {
        try each("followme-mobile-answered") { missed, harness in
            XCTAssertEqual(missed.count, 0, "Anna answered on her mobile")
            XCTAssertEqual(try harness.json(["pending"]).count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m1"], "an answer like any other: the CRM must hear of it")
        }
    }

    func testFollowMeMissedEverywhereIsMissedWithVoicemail() throws {
        try each("followme-missed") { missed, _ in
            XCTAssertEqual(missed.count, 1)
            XCTAssertEqual(missed.first?.text("manager_id"), "m1", "only 101 rang among the extensions")
            XCTAssertEqual(missed.first?.bool("voicemail"), true)
        }
    }

    func testBlindTransferAnsweredBySales() throws {
        try each("blind-transfer-answered") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m1"])
        }
    }

    func testBlindTransferToAManagerNobodyAnsweredIsMissedForThatManager() throws {
        try each("blind-transfer-unanswered") { missed, harness in
            XCTAssertEqual(missed.count, 1, "reception's short answer resolves nothing")
            XCTAssertEqual(missed.first?.text("manager_id"), "m2")
            XCTAssertEqual(missed.first?.text("extension"), "102", "the one that last rang")
            XCTAssertEqual(try harness.json(["pending"]).first?.text("manager_id"), "m2")
            XCTAssertEqual(try harness.json(["alerts", "--kind", "missed_call"]).first?.text("manager_id"), "m2")
        }
    }

    func testAttendedTransferCompletedIsAnsweredBySales() throws {
        try each("attended-transfer-completed") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m1"])
        }
    }

    func testAttendedTransferThatFailedBackToReceptionIsAnswered() throws {
        try each("attended-transfer-failed") { missed, harness in
            XCTAssertEqual(missed.count, 0, "reception's leg is the caller's last")
            XCTAssertEqual(try harness.json(["pending"]).count, 0)
            XCTAssertEqual(try harness.json(["alerts"]).count, 0, "reception answers need no CRM contact")
        }
    }

    func testDirectedPickupIsTheAnswerOfWhoPickedUp() throws {
        try each("directed-pickup") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m2"])
        }
    }

    func testTheSameNumberCallingTwiceWithCallsOverlappingIsJudgedInStartOrder() throws {
        try each("same-number-overlapping") { missed, harness in
            XCTAssertEqual(missed.count, 1, "the queue call at 15:00 was missed")
            XCTAssertEqual(missed.first?.text("started_at"), "2026-03-10T15:00:00+03:00")
            XCTAssertEqual(missed.first?.text("callback_state"), "client_reached_us",
                           "the call at 15:02, written before it, reached Anna after the miss")
            XCTAssertEqual(missed.first?.text("resolved_at"), "2026-03-10T15:02:00+03:00")
            XCTAssertEqual(missed.first?.text("resolved_by"), "m1")
            XCTAssertEqual(missed.first?.bool("late"), false)
            XCTAssertEqual(try harness.json(["pending"]).count, 0)
        }
    }

    func testAParkedCallPickedUpByAColleagueIsTheirAnswer() throws {
        try each("parked-picked-up") { missed, harness in
            XCTAssertEqual(missed.count, 0)
            XCTAssertEqual(try noContactManagers(harness), ["m1"])
        }
    }

    func testIVRMenuToAnExtensionThatDoesNotAnswer() throws {
        try each("ivr-to-extension") { missed, _ in
            XCTAssertEqual(missed.count, 1)
            XCTAssertEqual(missed.first?.text("manager_id"), "m1", "the menu put the caller through to 101 alone")
        }
    }

    func testLocalChannelNamesReusedAfterARestartDoNotJoinTwoCalls() throws {
        try each("local-names-reused") { missed, harness in
            XCTAssertEqual(missed.map { $0.text("started_at") }, ["2026-03-10T16:36:00+03:00"],
                           "Alfa's call after the restart was missed; the first call was answered by 102")
            XCTAssertEqual(missed.first?.text("manager_id"), "m1")
            XCTAssertEqual(try harness.json(["pending"]).first?.text("due_at"), "2026-03-10T16:51:00+03:00", "A: 15 minutes")
        }
    }

    // MARK: Three paths, one answer

    /// The daemon tailing `Master.csv` while the rows are appended one by one, each its own
    /// read (the next row goes in once the daemon has stored the one before) and a little
    /// more than `settle_ms` apart: the one-shot ingest's answers. One test per layout, so
    /// the parallel runner runs them side by side.
    func testTheDaemonTailingRowByRowAgreesWithIngest() throws { try tailRowByRow(.full) }
    func testTheDaemonTailingStockRowsRowByRowAgreesWithIngest() throws { try tailRowByRow(.stock) }

    private func tailRowByRow(_ columns: FreePBXFixture.Columns) throws {
        let rows = try FreePBXFixture.day(columns)
        let reference = try StoreAnswers(ingested(FreePBXFixture.names, columns))
        let daemon = try DaemonHarness()
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        for (index, row) in rows.enumerated() {
            try daemon.append([row][...], to: daemon.masterCSV)
            try daemon.wait { try daemon.storedRows() > index }
            // The time between rows is the input here: past settle_ms (100 ms), so a call
            // whose rows are all in may be judged before the next row comes.
            Thread.sleep(forTimeInterval: 0.12)
        }
        try settle(daemon, rows: rows.count, reference: reference, "\(columns.rawValue) columns")
    }

    /// A few calls with the rows seconds apart, as a real PBX spreads them.
    func testTheDaemonAgreesWithRowsSecondsApart() throws {
        let names = ["queue-answered", "same-number-overlapping"]
        let rows = try names.flatMap { try FreePBXFixture.rows($0, .stock) }
        let reference = try StoreAnswers(ingested(names, .stock))
        let daemon = try DaemonHarness()
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        for row in rows {
            try daemon.append([row][...], to: daemon.masterCSV)
            Thread.sleep(forTimeInterval: 1.5)
        }
        try settle(daemon, rows: rows.count, reference: reference, "seconds apart")
    }

    /// The same CDRs as AMI `Cdr` events, one by one, each sent once the one before is stored.
    func testTheDaemonReadingAMIEventsAgreesWithIngest() throws { try readAMIEvents(.full) }
    func testTheDaemonReadingStockAMIEventsAgreesWithIngest() throws { try readAMIEvents(.stock) }

    private func readAMIEvents(_ columns: FreePBXFixture.Columns) throws {
        let rows = try FreePBXFixture.day(columns)
        let reference = try StoreAnswers(ingested(FreePBXFixture.names, columns))
        let outbox = AMIFixture.Outbox()
        let (ami, daemon) = try AMIFixture.connected(outbox)
        defer { ami.stop(); daemon.remove() }
        for (index, row) in rows.enumerated() {
            outbox.push(FreePBXFixture.amiEvent(row))
            try daemon.wait { try daemon.storedRows() > index }
            Thread.sleep(forTimeInterval: 0.12)
        }
        try settle(daemon, rows: rows.count, reference: reference, "AMI, \(columns.rawValue) columns")
    }

    /// Held rows belong to their source: a one-shot `ingest` meanwhile neither completes nor
    /// judges the daemon's held call.
    func testAOneShotIngestLeavesTheDaemonsHeldCallAlone() throws {
        let rows = try FreePBXFixture.rows("queue-answered", .full)
        let other = try FreePBXFixture.rows("queue-abandoned", .full)
        let reference = try StoreAnswers(ingested(["queue-answered", "queue-abandoned"], .full))
        let daemon = try DaemonHarness()
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        try daemon.append(rows[0..<1], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() == 1 }
        let file = daemon.harness.directory.appendingPathComponent("other.csv")
        try other.map { $0 + "\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try daemon.harness.run(["ingest", file.path]).status, 0)
        XCTAssertEqual(try daemon.harness.sqlite("SELECT count(*) FROM legs WHERE call_id IS NULL"), "1",
                       "the member's half still waits for the caller's row")
        XCTAssertEqual(try daemon.harness.sqlite("SELECT count(*) FROM calls"), "1", "only the ingested call")
        try daemon.append(rows[1...], to: daemon.masterCSV)
        try settle(daemon, rows: rows.count, reference: reference, "after a one-shot ingest")
    }

    /// A call whose starting row never comes is judged as it stands once the data has moved
    /// `max_hold` past it, and the log says so.
    func testACallWithoutItsStartingRowIsJudgedAfterMaxHoldAndLogged() throws {
        let daemon = try DaemonHarness()
        defer { daemon.remove() }
        daemon.logFile = daemon.harness.directory.appendingPathComponent("ringbackd.log")
        try daemon.harness.load()
        try daemon.start()
        // A queue member's half at 09:00, then calls from 16:00 on: seven hours of data later.
        try daemon.append(try FreePBXFixture.rows("queue-answered", .full)[0..<1], to: daemon.masterCSV)
        try daemon.append(try FreePBXFixture.rows("ivr-to-extension", .full)[...], to: daemon.masterCSV)
        try daemon.wait {
            try daemon.harness.sqlite("SELECT count(*) FROM legs WHERE call_id IS NOT NULL") == "3"
        }
        XCTAssertEqual(try daemon.harness.sqlite("SELECT direction FROM calls WHERE call_id = '1773122400.1'"), "internal",
                       "a Local/ half alone is no inbound call")
        XCTAssertEqual(daemon.stop(), 0)
        let log = try String(contentsOf: daemon.logFile!, encoding: .utf8)
        XCTAssertTrue(log.contains("call judged without the row of the channel that started it"), log)
        XCTAssertTrue(log.contains("1773122400.1"), log)
    }

    /// Waits until every row is stored and the daemon's answers are the reference's.
    private func settle(_ daemon: DaemonHarness, rows: Int, reference: StoreAnswers, _ label: String) throws {
        try daemon.wait(seconds: 30) { try daemon.storedRows() >= rows }
        let deadline = Date().addingTimeInterval(10)
        var answers = try StoreAnswers(daemon.harness)
        while answers != reference, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            answers = try StoreAnswers(daemon.harness)
        }
        XCTAssertEqual(answers, reference, label)
        XCTAssertEqual(daemon.stop(), 0)
    }
}
