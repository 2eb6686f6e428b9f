import Foundation
import XCTest

/// Bad input (SPEC §5.3): each good row kept, each bad row in the quarantine with its reason.
final class BadInputTests: XCTestCase {
    func testEveryKindOfBadRowIsQuarantinedAndTheGoodOnesKept() throws {
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load()
        let file = RingbackHarness.fixtures.appendingPathComponent("calls/bad-input.csv").path
        let output = try harness.run(["ingest", file])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("4 rows stored"), output.stdout)
        XCTAssertTrue(output.stdout.contains("5 rows rejected"), output.stdout)

        let quarantined = try harness.json(["quarantine"]).sorted { ($0.int("line") ?? 0) < ($1.int("line") ?? 0) }
        let reasons = quarantined.map { ($0.int("line") ?? 0, $0.text("reason") ?? "") }
        XCTAssertEqual(reasons.map(\.0), [4, 5, 6, 7, 8])
        let expected = [
            "15 columns; cdr_csv writes 16 to 21",
            "column 10 (start): \"2026-02-30 12:00:00\" is not a YYYY-MM-DD HH:MM:SS time",
            "end 2026-03-10 12:00:00 is before start 2026-03-10 12:00:20",
            "column 13 (duration): \"-5\" is not a non-negative integer",
            "1 columns; cdr_csv writes 16 to 21",
        ]
        for ((line, reason), wanted) in zip(reasons, expected) {
            XCTAssertEqual(reason, wanted, "line \(line)")
        }

        // The good rows: CRLF, a Windows-1251 name, broken UTF-8, and the last one.
        let missed = try harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
        XCTAssertEqual(missed.compactMap { $0.text("number") }.sorted(),
                       ["+79035559001", "+79035559002", "+79035559003", "+79035559009"])
        // Nothing is lost by a second read, nothing doubled.
        let again = try harness.run(["ingest", file])
        XCTAssertTrue(again.stdout.contains("0 rows stored, 4 already stored"), again.stdout)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 5)
    }
}
