import RingbackConfig
import RingbackCore
import XCTest

/// Extensions per office (SPEC §10): `kzn:101` is Kazan's 101, a bare one the first office's.
final class OfficeDirectoryTests: XCTestCase {
    private let directory = Directory(managers: [
        Manager(id: "anna", name: "Anna", extensions: ["101", "msk:102"], login: "anna", email: "", role: .manager),
        Manager(id: "ivan", name: "Ivan", extensions: ["kzn:101"], login: "ivan", email: "", role: .manager),
    ], firstOffice: "msk")

    func testAnExtensionIsLookedUpInTheOfficeOfTheCall() {
        XCTAssertEqual(directory.manager(forExtension: "101", office: "msk")?.id, "anna")
        XCTAssertEqual(directory.manager(forExtension: "101", office: "kzn")?.id, "ivan")
        XCTAssertEqual(directory.manager(forExtension: "102", office: "msk")?.id, "anna", "msk:102 names the first office too")
        XCTAssertNil(directory.manager(forExtension: "102", office: "kzn"))
        XCTAssertEqual(directory.listedExtensions(in: "msk"), ["101", "102"])
        XCTAssertEqual(directory.listedExtensions(in: "kzn"), ["101"])
    }

    func testWithoutOfficesEveryExtensionIsTheOneOffices() {
        let single = Directory(managers: [Manager(id: "anna", name: "Anna", extensions: ["101"], login: "", email: "", role: .manager)])
        XCTAssertEqual(single.manager(forExtension: "101", office: "")?.id, "anna")
        XCTAssertEqual(single.listedExtensions(in: ""), ["101"])
    }

    func testTheCallIDsOfANamedOfficeCarryItsName() {
        var assembler = CallAssembler(timing: AssemblyTiming(settleMilliseconds: 0), office: "kzn")
        var leg = CallLeg()
        leg.uniqueID = "1773126000.21"
        leg.linkedID = "1773126000.21"
        leg.channel = "PJSIP/trunk-00000138"
        leg.start = 100
        leg.end = 120
        assembler.add(PendingLeg(id: 1, leg: leg), now: 0)
        XCTAssertEqual(assembler.takeAll().map(\.callID), ["kzn:1773126000.21"])
    }

    func testTheOfficeNameIsCheckedAndNamesTheDefaultSources() throws {
        let config = try ConfigurationParser.parse("""
            [office]
            name = "kzn"
            [[source]]
            kind = "spool"
            path = "/var/log/asterisk/cdr-csv"
            [[source]]
            kind = "spool"
            name = "kazan-exports"
            path = "/srv/exports"
            """, file: "ringback.toml")
        XCTAssertEqual(config.office, "kzn")
        XCTAssertEqual(config.sources.map(\.name), ["kzn:spool:/var/log/asterisk/cdr-csv", "kazan-exports"])
        XCTAssertThrowsError(try ConfigurationParser.parse("[office]\nname = \"msk:1\"\n", file: "ringback.toml")) { error in
            XCTAssertTrue("\(error)".contains("ringback.toml:2"), "\(error)")
        }
    }
}
