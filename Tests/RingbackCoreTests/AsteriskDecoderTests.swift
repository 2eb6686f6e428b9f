import Foundation
import RingbackCore
import RingbackTestSupport
import XCTest

final class AsteriskDecoderTests: XCTestCase {
    private func decodeAll(_ bytes: [UInt8], zone: ZoneConverter = .utc, columns: [AsteriskOptionalColumn]? = nil)
        -> (legs: [CallLeg], failures: [(Int, String)]) {
        RingbackCoreTests.decodeAll(bytes, AsteriskDecoder(columns: columns, zone: zone))
    }

    private func decodeOne(_ line: String, zone: ZoneConverter = .utc) -> Result<CallLeg?, DecodeFailure> {
        var decoder = AsteriskDecoder(zone: zone)
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { decoder.decode($0) }
    }

    func testProductionFileDecodesWholeWithGMTTimes() throws {
        let bytes = try FixturePaths.bytes(try SharedSamples.url("asterisk-21col-production-anonymized.csv"))
        let (legs, failures) = decodeAll(bytes)
        XCTAssertEqual(failures.count, 0, "\(failures)")
        XCTAssertEqual(legs.count, 84)
        let first = legs[0]
        XCTAssertEqual(first.source, "89972281866")
        XCTAssertEqual(first.callerID, "\"89972281866\" <89972281866>")
        XCTAssertEqual(first.channel, "SIP/220116-00000000")
        XCTAssertEqual(first.destinationChannel, "")
        XCTAssertEqual(first.lastApplication, "Hangup")
        // 2024-01-27 15:07:24 GMT
        XCTAssertEqual(first.start, 1_706_368_044)
        XCTAssertEqual(first.billableSeconds, 27)
        XCTAssertEqual(first.disposition, .answered)
        XCTAssertEqual(first.uniqueID, "1706368044.0")
        XCTAssertEqual(first.linkedID, "1706368044.0")
        XCTAssertEqual(first.sequence, 0)
        // A row that was never answered has an empty, unquoted answer field.
        XCTAssertTrue(legs.contains { $0.answer == nil && $0.disposition == .noAnswer })
        // Uniqueids with a system-name prefix are kept whole.
        XCTAssertTrue(legs.contains { $0.uniqueID?.hasPrefix("mainserverdss-") == true })
        // Every digest differs: no two legs of the file are the same CDR.
        XCTAssertEqual(Set(legs.map(\.digest)).count, 84)
    }

    func testInvalidUTF8CallerNameIsKeptNotFatal() throws {
        let bytes = try FixturePaths.bytes(try SharedSamples.url("asterisk-21col-production-anonymized.csv"))
        let (legs, _) = decodeAll(bytes)
        // Line 41's name holds the bytes A5 A5, not UTF-8: read as Windows-1251, nothing lost.
        XCTAssertTrue(legs.contains { $0.callerID == "\"8106286439ҐҐb\" <81041683524485>" }, "\(legs.map(\.callerID))")
        XCTAssertFalse(legs.contains { $0.callerID.contains("\u{FFFD}") })
    }

    func testWindows1251CallerNameIsDecoded() {
        let bytes: [UInt8] = Array("\"\" <".utf8) + [0xC8, 0xE2, 0xE0, 0xED, 0x20, 0xA8, 0xE6, 0xE8, 0xEA] + Array(">".utf8)
        let text = bytes.withUnsafeBufferPointer { TextDecoding.utf8OrCP1251($0) }
        XCTAssertEqual(text, "\"\" <Иван Ёжик>")
        XCTAssertEqual(Array("Привет".utf8).withUnsafeBufferPointer { TextDecoding.utf8OrCP1251($0) }, "Привет", "UTF-8 stays UTF-8")
    }

    func testCdrCustomFileIsRefusedWithAClearReason() throws {
        let bytes = try FixturePaths.bytes(try SharedSamples.url("asterisk-cdr_custom-19col-lab.csv"))
        let (legs, failures) = decodeAll(bytes)
        XCTAssertEqual(legs.count, 0, "a cdr_custom row must never be misread as cdr_csv")
        XCTAssertFalse(failures.isEmpty)
        for (_, reason) in failures { XCTAssertTrue(reason.contains("cdr_custom"), reason) }
    }

    func testFreeSWITCHSpreadsheetFileIsRefused() throws {
        let bytes = try FixturePaths.bytes(try SharedSamples.url("freeswitch-example-template-spreadsheet-resaved.csv"))
        let (legs, failures) = decodeAll(bytes)
        XCTAssertEqual(legs.count, 0)
        XCTAssertTrue(failures.allSatisfy { $0.1.contains("columns") }, "\(failures)")
    }

    private let fixed16 = #""acc","89161234567","101","from-trunk","""Ivan"" <89161234567>","PJSIP/trunk-0000001","PJSIP/101-0000002","Dial","PJSIP/101,30","2026-03-10 10:00:00","2026-03-10 10:00:05","2026-03-10 10:01:05",65,60,"ANSWERED","DOCUMENTATION""#

    func testSixteenColumnsAndDoubledQuotes() throws {
        let leg = try XCTUnwrap(try decodeOne(fixed16).get())
        XCTAssertEqual(leg.accountCode, "acc")
        XCTAssertEqual(leg.callerID, "\"Ivan\" <89161234567>")
        XCTAssertEqual(leg.answer, 1_773_136_805)
        XCTAssertNil(leg.uniqueID)
        XCTAssertNil(leg.linkedID)
    }

    func testSeventeenColumnsTellUniqueidFromUserfieldByShape() throws {
        let withUniqueID = try XCTUnwrap(try decodeOne(fixed16 + #","pbx1-1773136800.42""#).get())
        XCTAssertEqual(withUniqueID.uniqueID, "pbx1-1773136800.42")
        XCTAssertNil(withUniqueID.userField)
        let withUserField = try XCTUnwrap(try decodeOne(fixed16 + #","vip customer""#).get())
        XCTAssertEqual(withUserField.userField, "vip customer")
        XCTAssertNil(withUserField.uniqueID)
    }

    func testEighteenNineteenAndTwentyColumnLayouts() throws {
        let eighteen = try XCTUnwrap(try decodeOne(fixed16 + #","1773136800.1","note""#).get())
        XCTAssertEqual(eighteen.uniqueID, "1773136800.1")
        XCTAssertEqual(eighteen.userField, "note")
        let nineteen = try XCTUnwrap(try decodeOne(fixed16 + #","peer","1773136800.1",7"#).get())
        XCTAssertEqual(nineteen.peerAccount, "peer")
        XCTAssertEqual(nineteen.linkedID, "1773136800.1")
        XCTAssertEqual(nineteen.sequence, 7)
        let twenty = try XCTUnwrap(try decodeOne(fixed16 + #","1773136800.2","","1773136800.1",3"#).get())
        XCTAssertEqual(twenty.uniqueID, "1773136800.2")
        XCTAssertEqual(twenty.linkedID, "1773136800.1")
        let twentyUser = try XCTUnwrap(try decodeOne(fixed16 + #","note","","1773136800.1",3"#).get())
        XCTAssertEqual(twentyUser.userField, "note")
        XCTAssertNil(twentyUser.uniqueID)
    }

    func testDeclaredColumnsMustMatchTheRow() throws {
        var decoder = AsteriskDecoder(columns: [.uniqueid, .userfield], zone: .utc)
        let bytes = Array((fixed16 + #","1773136800.1""#).utf8)
        let result = bytes.withUnsafeBufferPointer { decoder.decode($0) }
        guard case .failure(let failure) = result else { return XCTFail("expected a refusal") }
        XCTAssertTrue(failure.reason.contains("columns"), failure.reason)
    }

    func testLocalTimeIsReadInTheSourceZone() throws {
        let moscow = try XCTUnwrap(ZoneConverter(identifier: "Europe/Moscow"))
        let leg = try XCTUnwrap(try decodeOne(fixed16, zone: moscow).get())
        XCTAssertEqual(leg.start, 1_773_126_000)  // 10:00 MSK = 07:00 UTC
    }

    func testBadRowsAreRefusedWithReasons() {
        func reason(_ line: String) -> String {
            if case .failure(let failure) = decodeOne(line) { return failure.reason }
            return "decoded"
        }
        XCTAssertTrue(reason(fixed16.replacingOccurrences(of: "2026-03-10 10:00:00", with: "2026-02-30 10:00:00")).contains("start"))
        XCTAssertTrue(reason(fixed16.replacingOccurrences(of: "2026-03-10 10:01:05", with: "2026-03-10 09:00:00")).contains("before start"))
        XCTAssertTrue(reason(fixed16.replacingOccurrences(of: ",65,60,", with: ",65,-60,")).contains("billsec"))
        XCTAssertTrue(reason(fixed16.replacingOccurrences(of: ",65,60,", with: ",\"65\",60,")).contains("quoted"))
        XCTAssertTrue(reason(fixed16.replacingOccurrences(of: "ANSWERED", with: "MAYBE")).contains("disposition"))
        XCTAssertTrue(reason("\"a\",\"b\"").contains("2 columns"))
        XCTAssertTrue(reason(fixed16.replacingOccurrences(of: "\"Dial\"", with: "\"Di\"al\"")).contains("malformed"))
        XCTAssertTrue(reason(String(fixed16.dropLast())).contains("quote"))
    }

    func testHalfWrittenLastLineIsLeftForLater() {
        let text = fixed16 + "\n" + String(fixed16.prefix(40))
        let bytes = Array(text.utf8)
        var count = 0
        let (consumed, _) = bytes.withUnsafeBufferPointer { buffer in
            LineSplitter.forEachRecord(in: buffer, firstLine: 1, final: false) { _ in count += 1 }
        }
        XCTAssertEqual(count, 1)
        XCTAssertEqual(consumed, fixed16.utf8.count + 1)
    }

    func testByteOrderMarkAndHeaderRowAreNotCDRs() throws {
        let header = "accountcode,src,dst,dcontext,clid,channel,dstchannel,lastapp,lastdata,start,answer,end,duration,billsec,disposition,amaflags"
        let (legs, failures) = decodeAll(Array(("\u{FEFF}" + header + "\n" + fixed16 + "\n").utf8))
        XCTAssertEqual(legs.count, 1)
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        let (bomLegs, _) = decodeAll(Array(("\u{FEFF}" + fixed16 + "\n").utf8))
        XCTAssertEqual(bomLegs.first?.accountCode, "acc")
    }

    func testCRLFLineEndsAreAccepted() throws {
        let (legs, failures) = decodeAll(Array((fixed16 + "\r\n" + fixed16 + "\r\n").utf8))
        XCTAssertEqual(legs.count, 2)
        XCTAssertTrue(failures.isEmpty)
        XCTAssertEqual(legs[0].amaFlags, "DOCUMENTATION")
    }
}
