import Foundation
import RingbackTestSupport
import XCTest

/// `ringback rejudge --since` (SPEC §6): an office that adds its managers' mobiles gets its
/// recent history judged again, in one transaction, without sending delivered alerts again.
final class RejudgeTests: XCTestCase {
    var harness: RingbackHarness!
    override func setUpWithError() throws { harness = try RingbackHarness() }
    override func tearDown() { harness.remove() }

    func testAddingMobilesThenRejudgingTurnsAFollowMeMissIntoAnAnswer() throws {
        // The office before: managers without their mobiles.
        let managers = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/managers.csv"), encoding: .utf8)
        let withoutMobiles = harness.directory.appendingPathComponent("managers-before.csv")
        try managers.replacingOccurrences(of: "89167770101", with: "").write(to: withoutMobiles, atomically: true, encoding: .utf8)
        XCTAssertEqual(try harness.run(["import", "managers", withoutMobiles.path]).status, 0)
        XCTAssertEqual(try harness.run(["import", "clients", RingbackHarness.fixtures.appendingPathComponent("directory/clients.csv").path]).status, 0)
        let file = harness.directory.appendingPathComponent("Master.csv")
        let rows = try ["followme-mobile-answered", "queue-abandoned"].flatMap { try FreePBXFixture.rows($0, .full) }
        try rows.map { $0 + "\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try harness.run(["ingest", file.path]).status, 0)
        let day = ["missed", "--since", "2026-03-10", "--until", "2026-03-11"]
        XCTAssertEqual(try harness.json(day).count, 2, "without mobiles, Anna's answer on her mobile looks missed")

        // The abandoned call's alerts were handed to the hook already.
        let kept = try harness.json(["alerts"]).filter { $0.text("number") == "+79035550401" }
        XCTAssertEqual(kept.count, 2, "missed, then overdue")
        for alert in kept {
            _ = try harness.sqlite("""
                INSERT INTO hook_deliveries (alert_id, state, attempts, next_attempt_at, delivered_at)
                VALUES (\(alert.int("alert_id")!), 'delivered', 1, 0, 0)
                """)
        }

        // Importing the mobiles alone recomputes owners, not what happened.
        XCTAssertEqual(try harness.run(["import", "managers", RingbackHarness.fixtures.appendingPathComponent("directory/managers.csv").path]).status, 0)
        XCTAssertEqual(try harness.json(day).count, 2)

        let output = try harness.run(["rejudge", "--since", "2026-03-10"])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("2 calls of 2 numbers judged again"), output.stdout)
        let missed = try harness.json(day)
        XCTAssertEqual(missed.map { $0.text("number") }, ["+79035550401"], "the follow-me call was Anna's answer")
        XCTAssertEqual(try harness.json(["pending"]).map { $0.text("number") }, ["+79035550401"])
        let alerts = try harness.json(["alerts"])
        XCTAssertEqual(alerts.filter { $0.text("number") == "+79161234567" }.map { $0.text("kind") }, ["no_contact"],
                       "the missed-call alert is gone; a no-contact check for Anna instead")
        XCTAssertEqual(alerts.filter { $0.text("number") == "+79035550401" }.map { $0.int("alert_id") },
                       kept.map { $0.int("alert_id") }, "raised again under the same ids")
        XCTAssertEqual(try harness.sqlite("SELECT count(*) FROM hook_deliveries WHERE state = 'delivered'"), "2",
                       "delivered alerts are not handed to the hook again")

        // Judging again changes nothing more.
        XCTAssertEqual(try harness.run(["rejudge", "--since", "2026-03-10"]).status, 0)
        XCTAssertEqual(try harness.json(["alerts"]).map { $0.int("alert_id") }, alerts.map { $0.int("alert_id") })
        XCTAssertEqual(try harness.json(day).count, 1)
    }

    func testAManualCloseAndAnAcknowledgementSurviveRejudging() throws {
        try harness.load()
        let file = harness.directory.appendingPathComponent("Master.csv")
        try FreePBXFixture.rows("queue-abandoned", .stock).map { $0 + "\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try harness.run(["ingest", file.path]).status, 0)
        let callback = try XCTUnwrap(try harness.json(["pending"]).first?.int("callback_id"))
        let alert = try XCTUnwrap(try harness.json(["alerts", "--kind", "missed_call"]).first?.int("alert_id"))
        XCTAssertEqual(try harness.run(["ack", String(alert)]).status, 0)
        XCTAssertEqual(try harness.run(["resolve", String(callback), "--reason", "spam"]).status, 0)

        XCTAssertEqual(try harness.run(["rejudge", "--since", "2026-03-01"]).status, 0)
        XCTAssertEqual(try harness.json(["pending"]).count, 0, "closed by hand, and it stays closed")
        let missed = try harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
        XCTAssertEqual(missed.first?.text("callback_state"), "closed")
        XCTAssertEqual(missed.first?.int("callback_id"), callback, "the callback keeps its id")
        let acknowledged = try harness.json(["alerts", "--kind", "missed_call"])
        XCTAssertEqual(acknowledged.first?.int("alert_id"), alert)
        XCTAssertEqual(acknowledged.first?.text("state"), "resolved")
        XCTAssertEqual(try harness.json(["alerts", "--state", "acknowledged"]).count, 0)
    }
}
