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
        // The webhook and [originate] there are commented out (none by default); uncommented,
        // they parse as shown.
        let text = try String(contentsOf: FixturePaths.repository.appendingPathComponent("Config/ringback.toml"), encoding: .utf8)
        func uncommented(_ header: String) -> String {
            let lines = text.components(separatedBy: "\n# \(header)\n")[1].split(separator: "\n", omittingEmptySubsequences: false)
            return ([header] + lines.prefix { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) }).joined(separator: "\n")
        }
        let webhook = try ConfigurationParser.parse(uncommented("[[webhook]]"), file: "x.toml")
        XCTAssertEqual(webhook.webhooks.first?.target.description, "https://crm.example/hooks/ringback")
        XCTAssertEqual(webhook.webhooks.first?.events.count, 4)
        let ami = "[[source]]\nkind = \"ami\"\nname = \"pbx-ami\"\nusername = \"ringback\"\nsecret_file = \"/etc/ringback/ami.secret\"\n"
        let originate = try ConfigurationParser.parse(ami + uncommented("[originate]"), file: "x.toml")
        XCTAssertEqual(originate.originate?.ami, "pbx-ami")
        XCTAssertEqual(originate.originate?.template, OriginateTemplate())
    }

    /// SPEC §9.1's other form: the link's host, port, username and secret_file in
    /// `[originate]` make it an AMI source of the daemon's, the one that sends.
    func testOriginateWithItsOwnLinkAddsThatAMISource() throws {
        let text = "[originate]\nhost = \"127.0.0.1\"\nport = 15038\nusername = \"ringback\"\nsecret_file = \"/etc/ringback/ami.secret\"\ntime_zone = \"UTC\"\n"
        let configuration = try ConfigurationParser.parse(text, file: "x.toml")
        XCTAssertEqual(configuration.originate?.ami, "ami:127.0.0.1:15038")
        let link = try XCTUnwrap(configuration.sources.first { $0.name == "ami:127.0.0.1:15038" })
        XCTAssertEqual([link.kind == .ami, link.dialect == .ami], [true, true])
        XCTAssertEqual([link.username, link.secretFile], ["ringback", "/etc/ringback/ami.secret"])
        XCTAssertNotNil(link.timeZone)
    }

    /// `[originate]` (SPEC §9.1): refused with the key and the reason.
    func testOriginateRefusalsSayWhatIsWrong() {
        let ami = "[[source]]\nkind = \"ami\"\nname = \"pbx\"\nusername = \"u\"\nsecret_file = \"/s\"\n"
        let cases: [(String, String)] = [
            ("[originate]\nchannel = \"PJSIP/101\"\n", "ami: is required"),
            (ami + "[originate]\nami = \"spool\"\n", "is not the name of a [[source]] kind = \"ami\""),
            (ami + "[originate]\nami = \"pbx\"\nchannel = \"PJSIP/101\"\n", "has no {extension}"),
            (ami + "[originate]\nami = \"pbx\"\ndial = \"local\"\n", "is not one of national, e164, international"),
            (ami + "[originate]\nami = \"pbx\"\ncontext = \"a&b\"\n", "holds a line break or &"),
            (ami + "[originate]\nami = \"pbx\"\nhost = \"10.0.0.1\"\n", "not both"),
            ("[[source]]\nkind = \"ami\"\nusername = \"u\"\n[originate]\nusername = \"u\"\n", "set ami = \"ami:127.0.0.1:5038\" instead"),
            (ami + "[originate]\nami = \"pbx\"\ninternational = \"sometimes\"\n", "is not one of directory, always, never"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml"), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
            }
        }
    }

    /// `[store] url` (SPEC §10): a PostgreSQL store, its password never in the URL.
    func testAPostgreSQLStoreIsNamedByURLAndItsPasswordKeptOutOfIt() throws {
        let config = try ConfigurationParser.parse("""
            [store]
            url = "postgresql://ringback@db.example:5432/ringback?sslmode=require"
            password_file = "/etc/ringback/db.password"
            """, file: "x.toml")
        XCTAssertEqual(config.storeLocation(), .server(url: "postgresql://ringback@db.example:5432/ringback?sslmode=require",
                                                       passwordFile: "/etc/ringback/db.password"))
        XCTAssertEqual(config.storeLocation(db: "/tmp/x.db"), .file("/tmp/x.db"), "--db names a file and wins")
        XCTAssertEqual(try ConfigurationParser.parse("", file: "x.toml").storeLocation(), .file(RingbackConfiguration.defaultStorePath))
        let cases: [(String, String)] = [
            ("[store]\nurl = \"postgresql://ringback:secret@db/ringback\"\n", "holds a password"),
            ("[store]\nurl = \"postgresql://db/ringback?password=secret\"\n", "holds a password"),
            ("[store]\nurl = \"mysql://db/ringback\"\n", "must be a postgresql:// URL"),
            ("[store]\npath = \"/x.db\"\nurl = \"postgres://db/ringback\"\n", "are both set"),
            ("[store]\npassword_file = \"/p\"\n", "set [store] url too"),
        ]
        for (text, reason) in cases {
            XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml"), text) { error in
                XCTAssertTrue("\(error)".contains(reason), "\(text): \(error)")
                XCTAssertFalse("\(error)".contains("secret"), "the password is not repeated: \(error)")
            }
        }
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
    func testWebhookAddressesThatCouldLeakAreRefusedWithTheirLine() throws {
        func webhook(_ url: String, _ more: String = "") -> String {
            "[hooks]\nmax_age = 60\n\n[[webhook]]\nurl = \"https://a.example/h\"\nsecret_file = \"/s\"\n\n"
                + "[[webhook]]\nurl = \"\(url)\"\nsecret_file = \"/s\"\n\(more)"
        }
        let cases: [(text: String, line: Int, reason: String)] = [
            (webhook("http://crm.example/hook"), 9, "must be https:// unless it is on this machine"),
            (webhook("https://169.254.169.254/latest/meta-data"), 9, "link-local"),
            (webhook("https://[fe80::1]/hook"), 9, "link-local (fe80::/10)"),
            (webhook("https://[::ffff:169.254.169.254]/hook"), 9, "link-local"),
            (webhook("https://metadata.google.internal/computeMetadata"), 9, "cloud metadata service"),
            (webhook("https://100.100.100.200/"), 9, "cloud metadata service"),
            (webhook("ftp://crm.example/"), 9, "\"ftp\" is not http or https"),
            (webhook("https://user:token@crm.example/"), 9, "must not carry a user or password"),
            (webhook("https://crm.example/", "events = [\"callback.closed\"]\n"), 11, "\"callback.closed\" is not one of callback.opened"),
            (webhook("https://crm.example/", "give_up_after = 0\n"), 11, "must be at least 1"),
            ("[[webhook]]\nurl = \"https://crm.example/\"\n", 1, "secret_file: is required"),
            ("[webhook]\nurl = \"https://crm.example/\"\n", 1, "write [[webhook]]"),
        ]
        for (text, line, reason) in cases {
            XCTAssertThrowsError(try ConfigurationParser.parse(text, file: "x.toml"), text) { error in
                guard let error = error as? ConfigurationError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertTrue(error.reason.contains(reason), "\(text): \(error.reason)")
            }
        }
        let config = try ConfigurationParser.parse(webhook("http://127.0.0.1:9000/hook", "events = [\"callback.resolved\"]\ngive_up_after = 6\n"),
                                                   file: "x.toml")
        XCTAssertEqual(config.webhooks.map(\.target.description), ["https://a.example/h", "http://127.0.0.1:9000/hook"])
        XCTAssertEqual(config.webhooks[0].events, Set(WebhookEvent.allCases), "all events when none are named")
        XCTAssertEqual(config.webhooks[1].events, [.callbackResolved])
        XCTAssertEqual(config.webhooks[1].giveUpAfterHours, 6)
        XCTAssertEqual(config.webhookRouting?.urls(for: .callbackOpened), ["https://a.example/h"])
        XCTAssertEqual(config.webhookRouting?.maxAgeSeconds, 3600)
        XCTAssertNil(try ConfigurationParser.parse("", file: "x.toml").webhookRouting, "no webhooks: nothing is filed")
    }

    func testWebhookRetriesDoubleUpToAnHourUntilGiveUpAfter() {
        let policy = WebhookRetryPolicy(giveUpAfterHours: 24)
        let written: Int64 = 1_000_000
        XCTAssertEqual(policy.retryAt(afterAttempts: 1, writtenAt: written, now: written), written + 1)
        XCTAssertEqual(policy.retryAt(afterAttempts: 2, writtenAt: written, now: written + 1), written + 3)
        XCTAssertEqual(policy.retryAt(afterAttempts: 5, writtenAt: written, now: written), written + 16)
        XCTAssertEqual(policy.retryAt(afterAttempts: 30, writtenAt: written, now: written + 7200), written + 7200 + 3600,
                       "never more than an hour apart")
        XCTAssertEqual(policy.retryAt(afterAttempts: 30, writtenAt: written, now: written + 20 * 3600), written + 21 * 3600)
        XCTAssertNil(policy.retryAt(afterAttempts: 30, writtenAt: written, now: written + 23 * 3600 + 1),
                     "the next attempt would come after give_up_after: given up")
    }

    func testWebListenerRefusalsSayWhatIsMissing() throws {
        let cases: [(text: String, line: Int, reason: String)] = [
            ("[web]\nlisten = \"0.0.0.0:8443\"\n", 2, "set allow_remote = true"),
            ("[web]\nlisten = \"0.0.0.0:8443\"\nallow_remote = true\n", 2, "set tls_certificate and tls_key, or trusted_proxy"),
            ("[web]\nlisten = \"0.0.0.0:8443\"\nallow_remote = true\ntrusted_proxy = \"127.0.0.1\"\n", 1,
             "public_url: is required when listen is not loopback"),
            ("[web]\ntls_certificate = \"/etc/ringback/cert.pem\"\n", 2, "needs both tls_certificate and tls_key"),
            ("[web]\nlanguage = \"de\"\n", 2, "\"de\" is not one of en, ru"),
            ("[web]\nuser_header = \"X-Remote-User\"\n", 2, "believed only from a trusted_proxy"),
            ("[web]\ntrusted_proxy = \"proxy.office.lan\"\n", 2, "is not an IP address"),
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
