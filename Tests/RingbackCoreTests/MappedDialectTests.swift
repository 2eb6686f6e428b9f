import Foundation
import RingbackConfig
import RingbackCore
import RingbackTestSupport
import XCTest

/// The `freeswitch` and `mapped` dialects, the shipped presets, and how one-row-per-call
/// exports classify.
final class MappedDialectTests: XCTestCase {
    let moscow = ZoneConverter(identifier: "Europe/Moscow")!
    let numbers = NumberPlan(countryCode: "7", trunkPrefix: "8", internationalPrefix: "810", areaCode: "495",
                             nationalLength: 10)

    private func classify(_ leg: CallLeg) throws -> Call {
        let classifier = CallClassifier(settings: CallSettings(), numbers: numbers,
                                        extensions: ExtensionMatcher(pattern: .twoToFiveDigits, listed: []))
        return classifier.classify(callID: "c", legs: [leg])
    }

    /// The mapping of a shipped preset, read through the configuration parser as an admin would.
    private func preset(_ name: String) throws -> ColumnMapping {
        let text = try String(contentsOf: FixturePaths.repository.appendingPathComponent("Config/presets/\(name).toml"),
                              encoding: .utf8)
        let config = try ConfigurationParser.parse("[calendar]\ntimezone = \"Europe/Moscow\"\n" + text, file: "\(name).toml")
        return try XCTUnwrap(config.sources.first?.mapping)
    }

    private func fixture(_ name: String) throws -> [UInt8] {
        try FixturePaths.bytes(FixturePaths.fixtures.appendingPathComponent("mapped/\(name)"))
    }

    func testFreeSWITCHExampleTemplate() throws {
        let (legs, failures) = decodeAll(try fixture("freeswitch-example.csv"),
                                         MappedDecoder(mapping: .freeswitchExample, zone: moscow))
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(legs.count, 4)
        XCTAssertEqual(legs[0].uniqueID, "a5c9f6c0-e752-11e3-8bfb-65b6c3cdac7d")
        XCTAssertEqual(legs[0].start, moscow.instant(of: CivilTime(year: 2026, month: 3, day: 10, hour: 10)))
        XCTAssertEqual(legs.map(\.disposition), [.noAnswer, .answered, .answered, .busy])
        XCTAssertNil(legs[0].answer)
        XCTAssertEqual(legs[1].billableSeconds, 120)

        let missed = try classify(legs[0])
        XCTAssertEqual(missed.direction, .inbound)
        XCTAssertFalse(missed.answered)
        XCTAssertEqual(missed.number, "+74951234567")
        let answered = try classify(legs[1])
        XCTAssertEqual(answered.direction, .inbound)
        XCTAssertTrue(answered.answered)
        XCTAssertEqual(answered.extensionNumber, "101")
        let outbound = try classify(legs[2])
        XCTAssertEqual(outbound.direction, .outbound)
        XCTAssertEqual(outbound.number, "+74951234567")
        XCTAssertEqual(outbound.extensionNumber, "101")
    }

    /// A spreadsheet re-saved the file: quotes gone, times `2020/2/10 22:41`. Every row is
    /// refused with the reason, none is read with a guessed time.
    func testSpreadsheetResavedFreeSWITCHFileIsRefusedNotMisread() throws {
        let bytes = try FixturePaths.bytes(
            try SharedSamples.url("freeswitch-example-template-spreadsheet-resaved.csv"))
        let (legs, failures) = decodeAll(bytes, MappedDecoder(mapping: .freeswitchExample, zone: moscow))
        XCTAssertEqual(legs.count, 0)
        XCTAssertEqual(failures.count, 10)
        XCTAssertTrue(failures.allSatisfy { $0.1.contains("\"2020/2/1") && $0.1.contains("%Y-%m-%d %H:%M:%S") },
                      "\(failures)")
    }

    /// The same file is readable through `mapped` with its real format, to the minute.
    func testResavedFileReadsThroughMappedWithItsFormat() throws {
        var mapping = ColumnMapping.freeswitchExample
        mapping.timestampFormat = try TimestampFormat.parse("%Y/%m/%d %H:%M").get()
        let bytes = try FixturePaths.bytes(
            try SharedSamples.url("freeswitch-example-template-spreadsheet-resaved.csv"))
        let (legs, failures) = decodeAll(bytes, MappedDecoder(mapping: mapping, zone: .utc))
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(legs.count, 10)
        XCTAssertEqual(legs[0].start, CivilTime(year: 2020, month: 2, day: 10, hour: 22, minute: 41).secondsAsIfUTC)
        XCTAssertEqual(legs[2].disposition, .noAnswer)  // NO_USER_RESPONSE, no answer stamp
    }

    func testCdrCustomPresetReadsTheLabSampleLikeCdrCsv() throws {
        let bytes = try FixturePaths.bytes(try SharedSamples.url("asterisk-cdr_custom-19col-lab.csv"))
        let (legs, failures) = decodeAll(bytes, MappedDecoder(mapping: try preset("cdr_custom"), zone: .utc))
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(legs.count, 14)
        let first = legs[0]
        XCTAssertEqual(first.callerID, "\"\" <client1>")
        XCTAssertEqual(first.source, "client1")
        XCTAssertEqual(first.destination, "6789")
        XCTAssertEqual(first.channel, "PJSIP/client1-00000002")
        XCTAssertEqual(first.destinationChannel, "PJSIP/client2-00000003")
        XCTAssertEqual(first.accountCode, "")
        XCTAssertEqual(first.amaFlags, "DOCUMENTATION")
        XCTAssertEqual(first.uniqueID, "1690325492.2")
        XCTAssertEqual(first.sequence, 2)
        XCTAssertEqual(first.billableSeconds, 13)
        XCTAssertEqual(first.start, CivilTime(year: 2023, month: 7, day: 26, hour: 1, minute: 51, second: 32).secondsAsIfUTC)
        XCTAssertEqual(legs[1].disposition, .noAnswer)
        XCTAssertNil(legs[1].answer)
        // The asterisk dialect names the preset instead of misreading the rows.
        let (asteriskLegs, asteriskFailures) = decodeAll(bytes, AsteriskDecoder(zone: .utc))
        XCTAssertTrue(asteriskLegs.isEmpty)
        XCTAssertTrue(asteriskFailures.allSatisfy { $0.1.contains("cdr_custom preset") }, "\(asteriskFailures)")
    }

    func test3CXPresetReadsPartiesInBracketsAndClockDurations() throws {
        let (legs, failures) = decodeAll(try fixture("3cx.csv"), MappedDecoder(mapping: try preset("3cx"), zone: moscow))
        XCTAssertEqual(legs.count, 3)
        XCTAssertEqual(failures.count, 1)
        XCTAssertEqual(failures.first?.0, 5)
        XCTAssertTrue(failures.first?.1.contains("\"Transferred\" is not in the source's result table") == true)
        XCTAssertEqual(legs[0].destination, "101")
        XCTAssertEqual(legs[1].source, "101")
        XCTAssertEqual(legs[1].billableSeconds, 130)
        XCTAssertEqual(legs[1].uniqueID, "00000C1A2C")

        let missed = try classify(legs[0])
        XCTAssertEqual(missed.direction, .inbound)
        XCTAssertFalse(missed.answered)
        XCTAssertEqual(missed.rangExtensions, ["101"])
        XCTAssertEqual(try classify(legs[1]).direction, .outbound)
        // Answered at the main number: somebody talked for 4 minutes, who is not written.
        let answeredAtDID = try classify(legs[2])
        XCTAssertTrue(answeredAtDID.answered)
        XCTAssertNil(answeredAtDID.extensionNumber)
    }

    func testYeastarPresetTreatsVoicemailAsMissed() throws {
        let (legs, failures) = decodeAll(try fixture("yeastar.csv"), MappedDecoder(mapping: try preset("yeastar"), zone: moscow))
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(legs.map(\.disposition), [.noAnswer, .answered, .noAnswer])
        XCTAssertEqual(legs[1].source, "1001")
        XCTAssertEqual(legs[1].end - legs[1].start, 65)
        XCTAssertEqual(legs[1].answer, legs[1].end - 60)
        XCTAssertEqual(try classify(legs[0]).number, "+74951234567")
    }

    func testGrandstreamPresetKeepsRealChannelsAndSessions() throws {
        let (legs, failures) = decodeAll(try fixture("grandstream.csv"),
                                         MappedDecoder(mapping: try preset("grandstream"), zone: moscow))
        XCTAssertTrue(failures.isEmpty, "\(failures)")
        XCTAssertEqual(legs.count, 2)
        XCTAssertEqual(legs[0].channel, "PJSIP/trunk_1-00000001")
        XCTAssertEqual(legs[0].linkedID, "1773133200.1-1")
        XCTAssertEqual(legs[0].callKey, "1773133200.1-1")
        XCTAssertEqual(legs[0].lastData, "PJSIP/1000,30")
        let missed = try classify(legs[0])
        XCTAssertEqual(missed.direction, .inbound)
        XCTAssertEqual(missed.rangExtensions, ["1000"])
        XCTAssertEqual(try classify(legs[1]).direction, .outbound)
    }

    func testHeaderMappingRefusesAnExportWhoseHeaderDoesNotFit() {
        let mapping = ColumnMapping(columns: [.start: .header("Start"), .src: .header("From"), .dst: .header("To"),
                                              .billsec: .header("Talk")])
        let text = "Start,From,Destination,Talk\n2026-03-10 10:00:00,84951234567,101,0\n"
        let (legs, failures) = decodeAll(Array(text.utf8), MappedDecoder(mapping: mapping, zone: .utc))
        XCTAssertTrue(legs.isEmpty)
        XCTAssertEqual(failures.map(\.0), [1, 2])
        XCTAssertTrue(failures[0].1.contains("\"To\""), failures[0].1)
        XCTAssertTrue(failures[1].1.contains("no header row"), failures[1].1)
    }

    func testTimestampFormats() throws {
        func read(_ format: String, _ text: String) throws -> Int64? {
            let parsed = try TimestampFormat.parse(format).get()
            return Array(text.utf8).withUnsafeBufferPointer { parsed.instant($0, zone: .utc) }
        }
        let expected = CivilTime(year: 2026, month: 3, day: 9, hour: 14, minute: 5, second: 7).secondsAsIfUTC
        XCTAssertEqual(try read("%Y-%m-%d %H:%M:%S", "2026-03-09 14:05:07"), expected)
        XCTAssertEqual(try read("%d.%m.%Y %H:%M:%S", "9.3.2026 14:05:07"), expected)
        XCTAssertEqual(try read("%m/%d/%Y %I:%M:%S %p", "03/09/2026 02:05:07 PM"), expected)
        XCTAssertEqual(try read("%m/%d/%Y %I:%M:%S %p", "03/09/2026 12:05:07 am"), expected - 14 * 3600)
        XCTAssertEqual(try read("unix", "\(expected)"), expected)
        XCTAssertNil(try read("%Y-%m-%d %H:%M:%S", "2026-02-30 14:05:07"))
        XCTAssertNil(try read("%Y-%m-%d %H:%M:%S", "2026-03-09 14:05"))
        XCTAssertNil(try read("%Y-%m-%d %H:%M", "2026-03-09 14:05:07"))
        XCTAssertThrowsError(try TimestampFormat.parse("%Y-%m-%d %H:%M:%S %Z").get())
        XCTAssertThrowsError(try TimestampFormat.parse("%H:%M").get())
    }

    func testMappedKeysAreRefusedOnOtherDialectsAndAMappingIsRequired() {
        let other = "[[source]]\nkind = \"spool\"\npath = \"/x\"\ndialect = \"asterisk\"\ntimestamp_format = \"%Y\"\n"
        XCTAssertThrowsError(try ConfigurationParser.parse(other, file: "x.toml")) { error in
            let error = error as! ConfigurationError
            XCTAssertEqual(error.line, 5)
            XCTAssertTrue(error.reason.contains("belongs to dialect \"mapped\""), error.reason)
        }
        let missing = "[[source]]\nkind = \"spool\"\npath = \"/x\"\ndialect = \"mapped\"\n"
        XCTAssertThrowsError(try ConfigurationParser.parse(missing, file: "x.toml")) { error in
            XCTAssertTrue((error as! ConfigurationError).reason.contains("[source.mapping]"))
        }
        let unknownField = missing + "[source.mapping]\nstart = 1\nsrc = 2\ndst = 3\nbillsec = 4\ncaller = 5\n"
        XCTAssertThrowsError(try ConfigurationParser.parse(unknownField, file: "x.toml")) { error in
            let error = error as! ConfigurationError
            XCTAssertEqual(error.line, 10)
            XCTAssertTrue(error.reason.contains("caller"), error.reason)
        }
    }
}
