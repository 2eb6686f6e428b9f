import Foundation
import XCTest

/// One test per call situation of SPEC §3–§4: the fixture goes through `ringback ingest`,
/// and the JSON of `ringback missed`, `pending` and `alerts` says what a manager would see.
final class CallSituationTests: XCTestCase {
    var harness: RingbackHarness!
    let day = ["--since", "2026-03-10", "--until", "2026-03-11"]

    override func setUpWithError() throws { harness = try RingbackHarness() }
    override func tearDown() { harness.remove() }

    private func missed() throws -> [[String: Any]] { try harness.json(["missed"] + day) }
    private func pending(at: String? = nil) throws -> [[String: Any]] {
        try harness.json(["pending"] + (at.map { ["--at", $0] } ?? []))
    }
    private func alerts(_ extra: [String] = []) throws -> [[String: Any]] { try harness.json(["alerts"] + extra) }

    func testDirectAnsweredCallIsNotMissed() throws {
        try harness.load("direct-answered")
        XCTAssertEqual(try missed().count, 0)
        XCTAssertEqual(try pending().count, 0)
    }

    func testRingAllAnsweredByOneIsNotMissed() throws {
        try harness.load("ring-all-answered-by-one")
        XCTAssertEqual(try missed().count, 0)
        XCTAssertEqual(try pending().count, 0)
    }

    func testRingGroupNobodyAnswersOpensAnUnassignedCallback() throws {
        try harness.load("ring-group-nobody-answers")
        let calls = try missed()
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(calls[0].text("number"), "+79035550101")
        XCTAssertTrue(calls[0].isNull("manager_id"), "two extensions rang: the head's unassigned queue")
        XCTAssertEqual(calls[0].text("callback_state"), "open")
        XCTAssertTrue(calls[0].isNull("late"))
        let open = try pending()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open[0].text("due_at"), "2026-03-10T10:30:00+03:00", "unknown number: 30 minutes")
        let raised = try alerts(["--kind", "missed_call"])
        XCTAssertEqual(raised.first?.text("manager_id"), "h1", "an unassigned miss alerts the head")
        XCTAssertEqual(raised.first?.text("raised_at"), "2026-03-10T10:00:00+03:00")
    }

    func testQueueAbandonedAfterAnswerIsMissed() throws {
        try harness.load("queue-abandoned")
        let calls = try missed()
        XCTAssertEqual(calls.count, 1, "the caller leg was ANSWERED by Queue, yet nobody talked")
        XCTAssertTrue(calls[0].isNull("manager_id"))
    }

    func testQueueAnsweredByAgentThroughLocalIsAnswered() throws {
        try harness.load("queue-answered-via-local")
        XCTAssertEqual(try missed().count, 0)
        let noContact = try alerts(["--kind", "no_contact"])
        XCTAssertEqual(noContact.first?.text("manager_id"), "m2", "credited to the agent behind Local/102")
    }

    func testIVROnlyIsMissed() throws {
        try harness.load("ivr-only")
        let calls = try missed()
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(calls[0].bool("voicemail"), false)
        XCTAssertTrue(calls[0].isNull("manager_id"), "no extension rang")
    }

    func testVoicemailIsMissedAndMarked() throws {
        try harness.load("voicemail")
        let calls = try missed()
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(calls[0].bool("voicemail"), true)
        XCTAssertEqual(calls[0].text("manager_id"), "m1", "one extension rang: its manager owns the callback")
    }

    func testAnswerShorterThanMinTalkIsMissed() throws {
        try harness.load("answered-short-talk")
        XCTAssertEqual(try missed().count, 1)
    }

    func testThreeMissesFromOneNumberOpenOneCallback() throws {
        try harness.load("three-misses")
        XCTAssertEqual(try missed().count, 3)
        let open = try pending()
        XCTAssertEqual(open.count, 1)
        XCTAssertEqual(open[0].int("missed_count"), 3)
        XCTAssertEqual(open[0].text("first_missed_at"), "2026-03-10T10:00:00+03:00")
        XCTAssertEqual(open[0].text("last_missed_at"), "2026-03-10T10:12:00+03:00")
        XCTAssertEqual(try alerts(["--kind", "missed_call"]).count, 1, "one alert per callback, not per ring")
        XCTAssertEqual(try harness.json(["pending", "--at", "2026-03-10 10:06"]).first?.int("missed_count"), 2)
    }

    func testCallbackBeforeDueResolvesInTime() throws {
        try harness.load("callback-before-due")
        let calls = try missed()
        XCTAssertEqual(calls.first?.text("client_id"), "c2")
        XCTAssertEqual(calls.first?.text("callback_state"), "called_back")
        XCTAssertEqual(calls.first?.text("resolved_by"), "m2")
        XCTAssertEqual(calls.first?.text("resolved_at"), "2026-03-10T10:20:00+03:00")
        XCTAssertEqual(calls.first?.bool("late"), false)
        XCTAssertEqual(try pending().count, 0)
        XCTAssertEqual(try alerts(["--kind", "callback_overdue"]).count, 0, "it was never overdue")
        XCTAssertEqual(try alerts(["--kind", "missed_call"]).first?.text("state"), "resolved")
    }

    func testCallbackAfterDueIsLateAndWasOverdue() throws {
        try harness.load("callback-after-due")
        XCTAssertEqual(try missed().first?.bool("late"), true)
        let overdue = try alerts(["--kind", "callback_overdue"])
        XCTAssertEqual(overdue.count, 1)
        XCTAssertEqual(overdue[0].text("raised_at"), "2026-03-10T10:30:00+03:00", "the instant it became overdue")
        XCTAssertEqual(overdue[0].text("state"), "resolved")
    }

    func testUnansweredAttemptCountsThenAnsweredCallbackResolves() throws {
        try harness.load("attempt-then-answered")
        let between = try pending(at: "2026-03-10 10:07")
        XCTAssertEqual(between.count, 1)
        XCTAssertEqual(between[0].int("attempts"), 1)
        XCTAssertEqual(try pending().count, 0)
        XCTAssertEqual(try missed().first?.text("callback_state"), "called_back")
    }

    func testClientCallingAgainAndAnsweredResolves() throws {
        try harness.load("client-calls-again")
        let calls = try missed()
        XCTAssertEqual(calls.count, 1)
        XCTAssertEqual(calls[0].text("callback_state"), "client_reached_us")
        XCTAssertEqual(calls[0].text("resolved_by"), "m1")
        XCTAssertEqual(calls[0].text("manager_id"), "m1", "c3 belongs to m1")
    }

    func testUnknownNumberDirectCallGoesToTheExtensionsManager() throws {
        try harness.load("unknown-number-direct")
        XCTAssertEqual(try pending().first?.text("manager_id"), "m1")
        XCTAssertTrue(try pending().first?.isNull("client_id") ?? false)
    }

    func testInternalCallIsIgnored() throws {
        try harness.load("internal-call")
        XCTAssertEqual(try missed().count, 0)
        XCTAssertEqual(try alerts().count, 0)
    }

    func testColleagueThroughAnInboundContextIsInternal() throws {
        try harness.load("extension-through-inbound-context")
        XCTAssertEqual(try missed().count, 0)
        XCTAssertEqual(try pending().count, 0)
    }

    func testIgnoredNumberIsExemptFromEveryRule() throws {
        try harness.load("ignored-number")
        XCTAssertEqual(try missed().count, 0)
        XCTAssertEqual(try pending().count, 0)
        XCTAssertEqual(try alerts().count, 0)
    }

    func testInternationalNumberAndCRLFFile() throws {
        try harness.load("crlf-international")
        XCTAssertEqual(try missed().first?.text("number"), "+49301234567")
    }

    func testAtBeforeAndAfterTheDueTime() throws {
        try harness.load("unknown-number-direct")
        let before = try pending(at: "2026-03-10 10:10")
        XCTAssertEqual(before.first?.bool("overdue"), false)
        let after = try pending(at: "2026-03-10T10:40:00+03:00")
        XCTAssertEqual(after.first?.bool("overdue"), true)
        XCTAssertEqual(try harness.json(["pending", "--overdue", "--at", "2026-03-10 10:10"]).count, 0)
        XCTAssertEqual(try harness.json(["alerts", "--kind", "callback_overdue", "--at", "2026-03-10 10:10"]).count, 0)
        XCTAssertEqual(try harness.json(["alerts", "--kind", "callback_overdue", "--at", "2026-03-10 10:40"]).count, 1)
        XCTAssertEqual(try pending(at: "2026-03-10 09:00").count, 0, "nothing was missed yet")
    }

    func testWorkingCalendarMakesAFridayEveningMissDueOnMonday() throws {
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"), encoding: .utf8)
        let config = harness.directory.appendingPathComponent("calendar.toml")
        try base.replacingOccurrences(of: "timezone = \"Europe/Moscow\"", with: """
            timezone = "Europe/Moscow"
            working_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
            working_hours = ["09:00-13:00", "14:00-18:00"]
            """).write(to: config, atomically: true, encoding: .utf8)
        let office = try RingbackHarness(config: config.path, sharing: harness)
        try office.load("missed-friday-evening")
        let open = try office.json(["pending", "--at", "2026-03-14 12:00"])
        XCTAssertEqual(open.first?.text("due_at"), "2026-03-16T09:15:00+03:00", "SPEC §4.1: an A client, missed Friday 19:00")
        XCTAssertEqual(open.first?.bool("overdue"), false)
        XCTAssertEqual(try office.json(["pending", "--at", "2026-03-16 09:20"]).first?.bool("overdue"), true)
        // The overdue alert is raised at the working-time due instant, not 15 wall minutes
        // after the miss, and `--at` sees it only from then.
        let overdue = try office.json(["alerts", "--kind", "callback_overdue"])
        XCTAssertEqual(overdue.map { $0.text("raised_at") }, ["2026-03-16T09:15:00+03:00"])
        XCTAssertTrue(try office.json(["alerts", "--kind", "callback_overdue", "--at", "2026-03-16 09:14"]).isEmpty)
    }

    func testPendingOrderOverdueFirstThenABC() throws {
        try harness.load("unknown-number-direct", "callback-before-due", "voicemail")
        let open = try pending(at: "2026-03-10 10:05")
        XCTAssertEqual(open.map { $0.text("number") ?? "-" }, ["+79162223344", "+79035551010", "+79035550505"],
                       "B client first, then unknown by due time")
        let later = try pending(at: "2026-03-10 10:35")
        XCTAssertEqual(later.first?.bool("overdue"), true)
    }
}
