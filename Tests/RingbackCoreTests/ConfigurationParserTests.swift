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

    /// Each refusal names the line and what is wrong with it.
    func testSourceRefusalsNameTheLineAndTheReason() {
        let cases: [(text: String, line: Int, reason: String)] = [
            ("[[source]]\nkind = \"spool\"\n", 1, "path"),
            ("[[source]]\nkind = \"spool\"\npath = \"/x\"\ncolumns = [\"linkedid\"]\n", 4, "columns"),
            ("[[source]]\nkind = \"fax\"\n", 2, "\"fax\" is not one of"),
            ("[[source]]\nkind = \"cli\"\n", 2, "\"cli\" is not one of"),
            ("[[source]]\nkind = \"socket\"\nlisten = \"cdr.sock\"\n", 3, "neither unix:/absolute/path nor host:port"),
            ("[[source]]\nkind = \"socket\"\ndialect = \"freeswitch\"\n", 3, "\"asterisk\" CSV lines or \"ami\" blocks"),
            ("[[source]]\nkind = \"spool\"\npath = \"/x\"\ntime_zone = \"Mars/Olympus\"\n", 4, "unknown time zone"),
            ("[calendar]\ntimezone = \"Europe/Moskva\"\n", 2, "unknown time zone \"Europe/Moskva\""),
            ("[numbers]\nextension_pattern = \"[0-9\"\n", 2, "not a valid regular expression"),
            ("[report]\nformat = \"pdf\"\n", 2, "\"pdf\" is not one of text, html, csv, json"),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml"), text) { error in
                guard let error = error as? ConfigurationError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertTrue(error.reason.contains(reason), "\(text): \(error.reason)")
            }
        }
        XCTAssertNoThrow(try ConfigurationParser.parse("[[source]]\nkind = \"spool\"\npath = \"/x\"\ncolumns = [\"uniqueid\", \"userfield\"]\n", file: "x.toml"))
    }

    /// `[web]` (SPEC §8.1): a listener others can reach needs allow_remote, then TLS or a
    /// trusted proxy, and a public_url; each refusal says which.
    func testWebListenerRefusalsSayWhatIsMissing() throws {
        let cases: [(text: String, line: Int, reason: String)] = [
            ("[web]\nlisten = \"0.0.0.0:8443\"\n", 2, "set allow_remote = true"),
            ("[web]\nlisten = \"0.0.0.0:8443\"\nallow_remote = true\n", 2, "set tls_certificate and tls_key, or trusted_proxy"),
            ("[web]\nlisten = \"0.0.0.0:8443\"\nallow_remote = true\ntrusted_proxy = \"127.0.0.1\"\n", 1,
             "public_url: is required when listen is not loopback"),
            ("[web]\ntls_certificate = \"/etc/ringback/cert.pem\"\n", 2, "needs both tls_certificate and tls_key"),
            ("[web]\nlanguage = \"de\"\n", 2, "\"de\" is not one of en, ru"),
            ("[web]\nuser_header = \"X-Remote-User\"\n", 2, "believed only from a trusted_proxy"),
            ("[web]\nlisten = \"localhost\"\n", 2, "neither host:port nor unix:/absolute/path"),
            ("[web]\nport = 80\n", 2, "unknown key"),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml"), text) { error in
                guard let error = error as? ConfigurationError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertTrue(error.reason.contains(reason), "\(text): \(error.reason)")
            }
        }
        let remote = try ConfigurationParser.parse("""
            [web]
            listen = "0.0.0.0:8443"
            allow_remote = true
            tls_certificate = "/etc/ringback/cert.pem"
            tls_key = "/etc/ringback/key.pem"
            public_url = "https://desk.office.example:8443"
            language = "ru"
            """, file: "x.toml")
        XCTAssertEqual(remote.web.listen, .tcp(host: "0.0.0.0", port: 8443))
        XCTAssertEqual(remote.web.tls?.key, "/etc/ringback/key.pem")
        XCTAssertEqual(remote.web.language, .russian)
        XCTAssertEqual(try ConfigurationParser.parse("", file: "x").web.listen, .tcp(host: "127.0.0.1", port: 8080))
    }

    /// `working_hours` as one string as well as a list (SPEC §7).
    func testWorkingHoursAsOneString() throws {
        let one = try ConfigurationParser.parse("[calendar]\nworking_hours = \"09:00-18:00\"\n", file: "x.toml")
        XCTAssertEqual(one.calendar.workingHours, [540..<1080])
        XCTAssertThrowsError(try ConfigurationParser.parse("[calendar]\nworking_hours = \"9 to 6\"\n", file: "x.toml")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.line, 2)
        }
    }

    /// The configuration holds typed values: a zone converter, a compiled pattern, a listen
    /// address, a report format; and no default depends on the machine it runs on.
    func testParsedValuesAreTypedAndDefaultsAreTheMachinesOwnNever() throws {
        let defaults = try ConfigurationParser.parse("", file: "(built-in defaults)")
        XCTAssertEqual(defaults.calendar.zone.identifier, "UTC", "not the machine's zone")
        XCTAssertEqual(defaults.report.format, .html)
        XCTAssertTrue(defaults.numbers.extensionPattern.matches("101"))
        let typed = try ConfigurationParser.parse("""
            [numbers]
            extension_pattern = "^1[0-9]{2}$"
            [report]
            format = "csv"
            [[source]]
            kind = "socket"
            listen = "unix:/run/ringback/cdr.sock"
            time_zone = "Asia/Yekaterinburg"
            """, file: "x.toml")
        XCTAssertTrue(typed.numbers.extensionPattern.matches("101"))
        XCTAssertFalse(typed.numbers.extensionPattern.matches("201"))
        XCTAssertEqual(typed.report.format, .csv)
        XCTAssertEqual(typed.sources.first?.listen, .unix(path: "/run/ringback/cdr.sock"))
        XCTAssertEqual(typed.sources.first?.timeZone?.identifier, "Asia/Yekaterinburg")
    }

    /// A configuration that is not there is told apart from one this user may not read
    /// (that case runs as another user in the end-to-end `AccessTests`).
    func testAbsentFileSaysSo() {
        XCTAssertThrowsError(try ConfigurationParser.load(path: "/nonexistent/ringback.toml")) { error in
            guard let error = error as? ConfigurationError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.description, "/nonexistent/ringback.toml: no such file; give the configuration with --config")
            XCTAssertFalse(error.isAccessDenied)
        }
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
