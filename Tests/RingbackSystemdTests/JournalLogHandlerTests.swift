import Logging
import RingbackSystemd
import XCTest

/// The journal entry's fields; sending them cannot be checked here (sd_journal_send returns
/// 0 even without a journal), building them can.
final class JournalLogHandlerTests: XCTestCase {
    func testMetadataBecomesFieldsOfTheirOwn() {
        let fields = JournalLogHandler.fields(
            level: .warning, message: "2 rows rejected",
            metadata: ["source": "pbx", "file": "/var/log/asterisk/cdr-csv/Master.csv", "line": "42", "call_id": "1773.5",
                       "message": "shadow", "_private": "x", "9lives": "y"],
            identifier: "ringbackd")
        XCTAssertEqual(fields.prefix(3), ["MESSAGE=2 rows rejected", "PRIORITY=4", "SYSLOG_IDENTIFIER=ringbackd"])
        XCTAssertTrue(fields.contains("SOURCE=pbx"))
        XCTAssertTrue(fields.contains("FILE=/var/log/asterisk/cdr-csv/Master.csv"))
        XCTAssertTrue(fields.contains("LINE=42"))
        XCTAssertTrue(fields.contains("CALL_ID=1773.5"))
        XCTAssertTrue(fields.contains("META_MESSAGE=shadow"), "metadata never overrides the journal's own fields")
        XCTAssertFalse(fields.contains { $0.hasPrefix("_") || $0.hasPrefix("9") })
    }

    func testPriorities() {
        XCTAssertEqual(JournalLogHandler.fields(level: .critical, message: "m", metadata: [:], identifier: "x")[1], "PRIORITY=2")
        XCTAssertEqual(JournalLogHandler.fields(level: .debug, message: "m", metadata: [:], identifier: "x")[1], "PRIORITY=7")
    }

    func testStandardErrorIsJournalOnlyWhenTheStreamMatches() {
        // The test runner's stderr is not the journal's stream.
        XCTAssertFalse(JournalLogHandler.standardErrorIsJournal)
    }
}
