import Foundation
import XCTest

/// `ringback report` on a store built from the call fixtures of one day.
final class ReportTests: XCTestCase {
    var harness: RingbackHarness!
    override func setUpWithError() throws {
        harness = try RingbackHarness()
        // Called back in time (20 min), called back late (60 min), a ring group missed three times.
        try harness.load("callback-before-due", "callback-after-due", "three-misses")
    }
    override func tearDown() { harness.remove() }

    private func report(_ arguments: [String]) throws -> [String: Any] {
        let output = try harness.run(["report"] + arguments + ["--format", "json"])
        XCTAssertEqual(output.status, 0, output.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.count, 1, "one report object in the top-level array")
        return try XCTUnwrap(parsed?.first)
    }

    func testDayReportFigures() throws {
        let day = try report(["--day", "2026-03-10", "--at", "2026-03-10 18:00"])
        XCTAssertEqual(day.int("missed_calls"), 5)
        XCTAssertEqual(day.int("callbacks_opened"), 3)
        XCTAssertEqual(day.int("within_sla"), 1)
        XCTAssertEqual((day["within_sla_percent"] as? NSNumber)?.doubleValue ?? 0, 33.3, accuracy: 0.05)
        XCTAssertEqual(day.int("median_minutes_to_callback"), 20)
        XCTAssertEqual(day.int("p90_minutes_to_callback"), 60)
        let managers = try XCTUnwrap(day["managers"] as? [[String: Any]])
        let byID = Dictionary(uniqueKeysWithValues: managers.map { ($0.text("manager_id") ?? "unassigned", $0) })
        XCTAssertEqual(byID["m1"]?.int("late"), 1)
        XCTAssertEqual(byID["m2"]?.int("called_back"), 1)
        XCTAssertEqual(byID["m2"]?.int("late"), 0)
        XCTAssertEqual(byID["unassigned"]?.int("missed"), 3)
        XCTAssertEqual(byID["unassigned"]?.int("still_open"), 1)
        let overdue = try XCTUnwrap(day["overdue"] as? [[String: Any]])
        XCTAssertEqual(overdue.map { $0.text("state") }, ["called_back", "open"])
        let hours = try XCTUnwrap(day["missed_by_hour"] as? [Int])
        XCTAssertEqual(hours[10], 5)
        // A-client c1 was never reached in this store.
        let dormant = try XCTUnwrap(day["dormant_a_clients"] as? [[String: Any]])
        XCTAssertEqual(dormant.map { $0.text("client_id") }, ["c1"])
    }

    /// Earlier in the day the same report counts only what had happened by then.
    func testAtShowsTheReportAsItWas() throws {
        let morning = try report(["--day", "2026-03-10", "--at", "2026-03-10 10:30"])
        XCTAssertEqual(morning.int("within_sla"), 1)
        XCTAssertEqual(morning.int("p90_minutes_to_callback"), 20, "the late callback came only at 11:00")
        let managers = try XCTUnwrap(morning["managers"] as? [[String: Any]])
        XCTAssertEqual(managers.first { $0.text("manager_id") == "m1" }?.int("still_open"), 1)
    }

    func testWeekContainsTheDayAndOtherDaysAreEmpty() throws {
        XCTAssertEqual(try report(["--week", "2026-03-12", "--at", "2026-03-20"]).int("missed_calls"), 5)
        XCTAssertEqual(try report(["--day", "2026-03-11", "--at", "2026-03-20"]).int("missed_calls"), 0)
    }

    func testFormatsAndUsageErrors() throws {
        for format in ["text", "html", "csv"] {
            let output = try harness.run(["report", "--day", "2026-03-10", "--format", format])
            XCTAssertEqual(output.status, 0, "\(format): \(output.stderr)")
            XCTAssertFalse(output.stdout.isEmpty)
        }
        XCTAssertEqual(try harness.run(["report", "--day", "2026-03-10", "--week", "2026-03-10"]).status, 1)
        XCTAssertEqual(try harness.run(["report", "--day", "yesterday"]).status, 1)
        XCTAssertEqual(try harness.run(["report", "--format", "pdf"]).status, 1)
    }

    /// A harness over the same store whose configuration adds `sections`.
    private func configured(_ sections: String) throws -> RingbackHarness {
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"),
                              encoding: .utf8)
        let config = harness.directory.appendingPathComponent("report.toml")
        try (base.replacingOccurrences(of: "[calendar]\n", with: "[calendar]\nholidays = [\"2026-03-13\"]\n") + "\n" + sections)
            .write(to: config, atomically: true, encoding: .utf8)
        return try RingbackHarness(config: config.path, sharing: harness)
    }

    /// The timer's morning run: nothing on a weekend or holiday; on a Monday, the last working
    /// day before it (Thursday here, Friday 2026-03-13 being a holiday).
    func testMorningRunSkipsDaysOffAndReportsThePreviousWorkingDay() throws {
        let office = try configured("")
        let sunday = try office.run(["report", "--skip-non-working", "--previous-working-day", "--at", "2026-03-15 08:30"])
        XCTAssertEqual(sunday.status, 0, sunday.stderr)
        XCTAssertEqual(sunday.stdout, "")
        let holiday = try office.run(["report", "--skip-non-working", "--at", "2026-03-13 08:30"])
        XCTAssertEqual(holiday.stdout, "")
        let monday = try office.run(["report", "--skip-non-working", "--previous-working-day", "--at", "2026-03-16 08:30",
                                     "--format", "json"])
        XCTAssertEqual(monday.status, 0, monday.stderr)
        let parsed = try JSONSerialization.jsonObject(with: Data(monday.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(parsed?.first?.text("from"), "2026-03-12T00:00:00+03:00")
        let tuesday = try office.run(["report", "--previous-working-day", "--at", "2026-03-11 08:30", "--format", "json"])
        let wednesdayReport = try JSONSerialization.jsonObject(with: Data(tuesday.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(wednesdayReport?.first?.int("missed_calls"), 5, "the day before is the fixtures' day")
    }

    func testSendHandsAMailMessageToTheConfiguredCommand() throws {
        let received = harness.directory.appendingPathComponent("mail.txt")
        let script = harness.directory.appendingPathComponent("fake-sendmail")
        try "#!/bin/sh\ncat > '\(received.path)'\n".write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        let office = try configured("""
            [report]
            command = "\(script.path) -t"
            mail_to = "head@office.example"
            """)
        let sent = try office.run(["report", "--previous-working-day", "--at", "2026-03-11 08:30", "--send"])
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertEqual(sent.stdout, "")
        let mail = try String(contentsOf: received, encoding: .utf8)
        XCTAssertTrue(mail.hasPrefix("To: head@office.example\nSubject: Missed calls, 2026-03-10 (Tue)\n"), mail)
        XCTAssertTrue(mail.contains("Content-Type: text/html; charset=utf-8\n"))
        XCTAssertTrue(mail.contains("\n\n<!DOCTYPE html>"))

        XCTAssertEqual(try harness.run(["report", "--send"]).status, 1, "no [report] command")
    }

    /// A command that exits without reading the report: an error and exit 1, never SIGPIPE
    /// (exit 141, in 5 of 8 runs before).
    func testSendToACommandThatDoesNotReadIsAnErrorNotSIGPIPE() throws {
        let broken = try configured("[report]\ncommand = \"/bin/false\"\nformat = \"html\"\n")
        for _ in 0..<8 {
            let output = try broken.run(["report", "--send"])
            XCTAssertEqual(output.status, 1, output.stderr)
            XCTAssertTrue(output.stderr.contains("[report] command /bin/false failed with status 1"), output.stderr)
        }
    }
}
