import RingbackConfig
import RingbackCore
import XCTest

final class ConfigurationParserTests: XCTestCase {
    func testShippedExampleParsesWithEveryKey() throws {
        let config = try ConfigurationParser.load(path: FixturePaths.repository.appendingPathComponent("Config/ringback.toml").path)
        XCTAssertEqual(config.numbers.countryCode, "7")
        XCTAssertEqual(config.calendar.zone.identifier, "Europe/Moscow")
        XCTAssertEqual(config.calendar.workingHours, [540..<780, 840..<1080])
        XCTAssertFalse(config.sources.isEmpty)
        XCTAssertEqual(config.sources[0].kind, .spool)
    }

    func testUnknownKeyIsRefusedWithSectionKeyAndLine() {
        let text = "[numbers]\ncountry_code = \"7\"\ncountry = \"7\"\n"
        XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml")) { error in
            let error = error as! ConfigurationError
            XCTAssertEqual(error.line, 3)
            XCTAssertTrue(error.reason.contains("[numbers] country"), error.reason)
        }
    }

    func testWrongTypeIsRefused() {
        XCTAssertThrowsError(try ConfigurationParser.parse("[calls]\nmin_talk = \"five\"\n", file: "x.toml")) { error in
            let error = error as! ConfigurationError
            XCTAssertEqual(error.line, 2)
            XCTAssertTrue(error.reason.contains("min_talk"), error.reason)
        }
    }

    func testSyntaxErrorGivesTheLine() {
        XCTAssertThrowsError(try ConfigurationParser.parse("[store]\npath = \n", file: "x.toml")) { error in
            XCTAssertEqual((error as! ConfigurationError).line, 2)
        }
    }

    func testSourceChecks() {
        XCTAssertThrowsError(try ConfigurationParser.parse("[[source]]\nkind = \"spool\"\n", file: "x.toml"))
        XCTAssertThrowsError(try ConfigurationParser.parse("[[source]]\nkind = \"spool\"\npath = \"/x\"\ncolumns = [\"linkedid\"]\n", file: "x.toml"))
        XCTAssertThrowsError(try ConfigurationParser.parse("[[source]]\nkind = \"fax\"\n", file: "x.toml"))
        XCTAssertNoThrow(try ConfigurationParser.parse("[[source]]\nkind = \"spool\"\npath = \"/x\"\ncolumns = [\"uniqueid\", \"userfield\"]\n", file: "x.toml"))
    }

    func testSocketListenMustBeLocalUnlessAllowed() throws {
        let remote = "[[source]]\nkind = \"socket\"\nlisten = \"0.0.0.0:5039\"\n"
        XCTAssertThrowsError(try ConfigurationParser.parse(remote, file: "x.toml")) { error in
            let error = error as! ConfigurationError
            XCTAssertEqual(error.line, 3)
            XCTAssertTrue(error.reason.contains("allow_remote"), error.reason)
        }
        let allowed = try ConfigurationParser.parse(remote + "allow_remote = true\n", file: "x.toml")
        XCTAssertEqual(allowed.sources.first?.listen, .tcp(host: "0.0.0.0", port: 5039))
        XCTAssertNoThrow(try ConfigurationParser.parse("[[source]]\nkind = \"socket\"\nlisten = \"127.0.0.1:5039\"\n", file: "x.toml"))
        XCTAssertThrowsError(try ConfigurationParser.parse("[[source]]\nkind = \"socket\"\nlisten = \"cdr.sock\"\n", file: "x.toml"))
        XCTAssertThrowsError(try ConfigurationParser.parse("[[source]]\nkind = \"socket\"\ndialect = \"freeswitch\"\n", file: "x.toml"))
    }

    /// Found by fuzzing: toml++ aborted the process on a non-ASCII byte in a section name.
    func testNonASCIIOutsideStringsIsRefusedNotAnAbort() throws {
        for text in ["# Moscow office\n[\u{FFFD}umbers]\ncountry_code = \"7\"\n", "[numbers]\nстрана = \"7\"\n",
                     "[calls]\n[{ource.mapping]\n", "[sla]\nA = { {x = 1 }\n"] {
            XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml")) { error in
                let error = error as! ConfigurationError
                XCTAssertEqual(error.line, 2)
                XCTAssertTrue(error.reason.contains("cannot start with"), error.reason)
            }
        }
        // A stray closing brace in an array once sent the scan round in circles.
        XCTAssertThrowsError(try ConfigurationParser.parse("[sla]\nA = [1, }]\n", file: "x.toml")) { error in
            XCTAssertEqual((error as! ConfigurationError).line, 2)
        }
        // Inside strings and comments anything goes.
        let fine = "# Офис в Москве\n[calendar]\ntimezone = \"Europe/Moscow\" # время\n[contacts]\nignore = ['+7 (495) 000-00-00 — склад']\n"
        XCTAssertNoThrow(try ConfigurationParser.parse(fine, file: "x.toml"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cp1251-\(UUID().uuidString).toml")
        try Data([0x23, 0x20, 0xCE, 0xF4, 0xE8, 0xF1, 0x0A]).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        XCTAssertThrowsError(try ConfigurationParser.load(path: file.path)) { error in
            XCTAssertTrue((error as! ConfigurationError).reason.contains("not UTF-8"))
        }
    }
}
