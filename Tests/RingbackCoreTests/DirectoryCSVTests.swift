import RingbackCore
import XCTest

final class DirectoryCSVTests: XCTestCase {
    let numbers = NumberPlan(countryCode: "7", trunkPrefix: "8", internationalPrefix: "810", nationalLength: 10)
    let moscow = ZoneConverter(identifier: "Europe/Moscow")!

    func testManagersWithSeveralExtensionsAndABOM() throws {
        let text = "\u{FEFF}manager_id,name,extensions,login,email,role\nm1,\"Petrova, Anna\",101;anna-laptop,anna,a@x,manager\nh1,Head,100,,,\n"
        let parsed = try DirectoryCSV.managers(text, numbers: NumberPlan(), zone: .utc)
        XCTAssertEqual(parsed.errors, [])
        XCTAssertEqual(parsed.records.map(\.id), ["m1", "h1"])
        XCTAssertEqual(parsed.records[0].name, "Petrova, Anna")
        XCTAssertEqual(parsed.records[0].extensions, ["101", "anna-laptop"])
        XCTAssertEqual(parsed.records[1].role, .manager, "an empty role is a manager")
    }

    func testTheOptionalActiveColumnSwitchesAManagerOff() throws {
        let text = "manager_id,name,extensions,login,active\nm1,Anna,101,anna,false\nm2,Boris,102,boris,\nm3,Vera,103,vera,maybe\n"
        let parsed = try DirectoryCSV.managers(text, numbers: NumberPlan(), zone: .utc)
        XCTAssertEqual(parsed.records.map(\.active), [false, true], "empty is active")
        XCTAssertEqual(parsed.errors.map(\.line), [4])
        XCTAssertTrue(parsed.errors[0].reason.contains("active \"maybe\" is neither true nor false"), parsed.errors[0].reason)
        XCTAssertEqual(try DirectoryCSV.managers("manager_id,name,extensions\nm1,Anna,101\n", numbers: NumberPlan(), zone: .utc).records[0].active,
                       true, "without the column, everyone is active")
    }

    /// `away_until` (SPEC §9.2): the last day away, kept as the end of that day in the zone.
    func testTheOptionalAwayUntilColumnIsTheEndOfTheLastDayAway() throws {
        let moscow = try XCTUnwrap(ZoneConverter(identifier: "Europe/Moscow"))
        let text = "manager_id,name,extensions,away_until\nm1,Anna,101,2026-12-14\nm2,Boris,102,\nm3,Vera,103,next week\n"
        let parsed = try DirectoryCSV.managers(text, numbers: NumberPlan(), zone: moscow)
        XCTAssertEqual(parsed.records.map(\.awayUntil), [TimeParsing.instant("2026-12-15", zone: moscow), nil])
        XCTAssertTrue(parsed.columns.contains("away_until"))
        XCTAssertEqual(parsed.errors.map(\.line), [4])
        let anna = parsed.records[0]
        XCTAssertTrue(anna.isAway(at: TimeParsing.instant("2026-12-14 23:59", zone: moscow)!))
        XCTAssertFalse(anna.isAway(at: TimeParsing.instant("2026-12-15 00:00", zone: moscow)!))
    }

    func testBadRowsAreReportedByLineAndTheRestKept() throws {
        let text = "client_id,name,abc,phones,manager_id\nc1,Alfa,A,89161234567,m1\nc2,Beta,Z,89162223344,m2\nc3,Gamma,C,+79163334455,m1,extra\n,NoID,B,89164445566,m1\n"
        let parsed = try DirectoryCSV.clients(text, numbers: numbers)
        XCTAssertEqual(parsed.records.map(\.id), ["c1"])
        XCTAssertEqual(parsed.records[0].phones, ["+79161234567"])
        XCTAssertEqual(parsed.errors.map(\.line), [3, 4, 5])
        XCTAssertTrue(parsed.errors[0].reason.contains("abc"))
        XCTAssertTrue(parsed.errors[1].reason.contains("columns"))
    }

    func testMissingRequiredColumnRefusesTheFile() {
        XCTAssertThrowsError(try DirectoryCSV.clients("client_id,name\nc1,Alfa\n", numbers: numbers)) { error in
            XCTAssertTrue("\(error)".contains("phones"), "\(error)")
        }
        XCTAssertThrowsError(try DirectoryCSV.managers("", numbers: NumberPlan(), zone: .utc))
    }

    func testContactsNeedATimeAndAParty() throws {
        let text = """
            contact_id,created_at,manager_id,client_id,phone,kind,note
            k1,2026-03-10 10:30,m1,c1,,call,ok
            k2,2026-03-10T07:30:00Z,m1,,89161234567,call,by phone
            k3,yesterday,m1,c1,,call,bad time
            k4,2026-03-10 10:30,m1,,,call,nobody
            """
        let parsed = try DirectoryCSV.contacts(text, numbers: numbers, zone: moscow)
        XCTAssertEqual(parsed.records.map(\.id), ["k1", "k2"])
        XCTAssertEqual(parsed.records[0].createdAt, 1_773_127_800, "10:30 in Moscow")
        XCTAssertEqual(parsed.records[1].createdAt, 1_773_127_800)
        XCTAssertEqual(parsed.records[1].phone, "+79161234567")
        XCTAssertEqual(parsed.errors.map(\.line), [4, 5])
    }
}
