import RingbackHooks
import XCTest

/// The mail messages handed to `[report] command` (the report, a sign-in link).
final class MailMessageTests: XCTestCase {
    func testHeadersForSendmailAndASubjectOutsideASCIIEncoded() {
        let message = MailMessage.compose(to: "anna@office.example", subject: "Ваша ссылка", contentType: "text/plain", body: "Hi\n")
        let lines = message.components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "To: anna@office.example")
        XCTAssertEqual(lines[1], "Subject: =?utf-8?B?0JLQsNGI0LAg0YHRgdGL0LvQutCw?=")
        XCTAssertTrue(lines.contains("Content-Type: text/plain; charset=utf-8"))
        XCTAssertTrue(message.hasSuffix("\n\nHi\n"), "a blank line, then the body")
        XCTAssertEqual(MailMessage.compose(to: "a@b.example", subject: "Report", contentType: "text/html", body: "")
            .components(separatedBy: "\n")[1], "Subject: Report")
    }

    /// A directory's `email` is written into a header: one that could add a header or a
    /// second recipient is no address.
    func testOnlyAPlainAddressIsOne() {
        XCTAssertTrue(MailMessage.isPlainAddress("anna.petrova@office.example"))
        for hostile in ["anna@office.example\nBcc: all@example.com", "anna@office.example, boris@office.example",
                        "Anna <anna@office.example>", "anna", "@office.example", "anna@localhost", "an na@office.example",
                        "anna@office.example\r"] {
            XCTAssertFalse(MailMessage.isPlainAddress(hostile), hostile)
        }
    }
}
