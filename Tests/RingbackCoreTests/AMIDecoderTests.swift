import Foundation
import RingbackCore
import RingbackTestSupport
import XCTest

/// AMI framing and `Event: Cdr` decoding (SPEC §1.2).
final class AMIDecoderTests: XCTestCase {
    let moscow = ZoneConverter(identifier: "Europe/Moscow")!

    private func messages(_ text: String, final: Bool) -> (messages: [(line: Int, text: String)], consumed: Int, lines: Int) {
        var found: [(Int, String)] = []
        let bytes = Array(text.utf8)
        let (consumed, lines) = bytes.withUnsafeBufferPointer { buffer in
            AMIFramer.forEachMessage(in: buffer, firstLine: 1, final: final) { found.append(($0.line, String(decoding: $0.bytes, as: UTF8.self))) }
        }
        return (found, consumed, lines)
    }

    func testBannerIsAMessageAndAnIncompleteMessageWaits() {
        let text = "Asterisk Call Manager/5.0.1\r\nResponse: Success\r\nMessage: ok\r\n\r\nEvent: Cdr\r\nSource: 1"
        let (found, consumed, lines) = messages(text, final: false)
        XCTAssertEqual(found.map(\.text), ["Asterisk Call Manager/5.0.1", "Response: Success\r\nMessage: ok"])
        XCTAssertEqual(found.map(\.line), [1, 2])
        XCTAssertEqual(consumed, text.utf8.count - "Event: Cdr\r\nSource: 1".utf8.count)
        XCTAssertEqual(lines, 4)
        // A capture read to its end: the last message counts without its empty line.
        XCTAssertEqual(messages(text, final: true).messages.last?.text, "Event: Cdr\r\nSource: 1")
    }

    func testLFOnlyAndRepeatedEmptyLines() {
        let (found, _, _) = messages("Event: A\nX: 1\n\n\n\nEvent: B\n\n", final: false)
        XCTAssertEqual(found.map(\.text), ["Event: A\nX: 1", "Event: B"])
        XCTAssertEqual(found.map(\.line), [1, 6])
    }

    func testCdrEventIsTheSameLegAsItsMasterCSVRow() throws {
        let ami = try FixturePaths.bytes(FixturePaths.fixtures.appendingPathComponent("ami/callback-before-due.ami"))
        let csv = try FixturePaths.bytes(FixturePaths.fixtures.appendingPathComponent("calls/callback-before-due.csv"))
        let (fromAMI, failures) = decodeAll(ami, AMIDecoder(zone: moscow))
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        let (fromCSV, _) = decodeAll(csv, AsteriskDecoder(zone: moscow))
        XCTAssertEqual(fromAMI.count, 2)
        XCTAssertEqual(fromAMI.map(\.digest), fromCSV.map(\.digest))
        XCTAssertEqual(fromAMI[0].callerID, "\"\" <89162223344>")
        XCTAssertNil(fromAMI[0].answer)
        XCTAssertEqual(fromAMI[1].linkedID, "1773127200.13")
        XCTAssertEqual(fromAMI[1].sequence, 0)
        XCTAssertEqual(fromAMI[1].answer, fromCSV[1].answer)
    }

    /// A real Asterisk 11 session without any `Cdr` event: nothing decoded, nothing refused.
    func testCapturedSessionWithoutCdrEventsPassesCleanly() throws {
        for name in ["ami-asterisk11-session.txt", "ami-login-ok.txt"] {
            let bytes = try FixturePaths.bytes(try SharedSamples.url(name))
            let (legs, failures) = decodeAll(bytes, AMIDecoder(zone: moscow))
            XCTAssertTrue(legs.isEmpty, name)
            XCTAssertTrue(failures.isEmpty, "\(name): \(failures)")
        }
    }

    func testBrokenCdrEventIsRefusedWithItsReason() {
        let text = "Event: Cdr\nChannel: SIP/1-1\nStartTime: 2026-03-10 10:00\nEndTime: 2026-03-10 10:00:20\n"
            + "Duration: 20\nBillableSeconds: 0\nDisposition: NO ANSWER\n\n"
        let (legs, failures) = decodeAll(Array(text.utf8), AMIDecoder(zone: .utc))
        XCTAssertTrue(legs.isEmpty)
        XCTAssertEqual(failures.first?.0, 1)
        XCTAssertTrue(failures.first?.1.contains("StartTime") == true, "\(failures)")
    }
}
