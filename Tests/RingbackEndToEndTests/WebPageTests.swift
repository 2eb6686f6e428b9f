import Foundation
import XCTest

/// The story pages (SPEC §8.3): a callback's calls and a call's rows, where the caller's
/// own words (caller-ID name, dialplan data, userfield) reach the page as text.
final class StoryPageTests: XCTestCase {
    func testACallbacksStoryAndItsCallsRowsShowHostileFieldsAsTextAndOnlyToWhoMaySee() throws {
        let web = try WebHarness(loading: "three-misses")
        defer { web.remove() }
        let hostile = web.harness.directory.appendingPathComponent("hostile.csv")
        let clid = #"""<img src=x onerror=alert(1)>"" <89035554444>"#
        try #""","89035554444","74951112233","from-trunk","\#(clid)","PJSIP/trunk-00000c01","PJSIP/102-00000c02","Dial","</script><script>alert(2)</script>","2026-03-10 11:00:00",,"2026-03-10 11:00:20",20,0,"NO ANSWER","DOCUMENTATION","1773129600.9","""><svg onload=alert(3)>","","1773129600.9",0"#
            .appending("\n").write(to: hostile, atomically: true, encoding: .utf8)
        let ingest = try web.harness.run(["ingest", hostile.path])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let callback = try XCTUnwrap(try web.harness.json(["pending"]).first { $0.text("number") == "+79035554444" })
        let id = try XCTUnwrap(callback.int("callback_id"))
        XCTAssertEqual(try web.harness.run(["assign", "\(id)", "--manager", "m2"]).status, 0)
        let helen = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let anna = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let head = try web.signIn(link: helen)
        let story = try web.raw("GET", "/callbacks/\(id)", headers: ["Cookie": head])
        XCTAssertEqual(story.status, 200, story.text)
        XCTAssertTrue(story.text.contains("data-callback-id=\"\(id)\""))
        XCTAssertTrue(story.text.contains("&lt;img src=x onerror=alert(1)&gt;"), "the caller-ID name, escaped: \(story.text)")
        XCTAssertFalse(story.text.contains("<img"), "no element came out of it")
        let callID = try XCTUnwrap(story.text.components(separatedBy: "href=\"/calls/").dropFirst().first?.components(separatedBy: "\"").first)
        let legs = try web.raw("GET", "/calls/\(callID)", headers: ["Cookie": head])
        XCTAssertEqual(legs.status, 200, legs.text)
        XCTAssertTrue(legs.text.contains("&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;"), "lastdata as text")
        XCTAssertFalse(legs.text.contains("<script>alert"), legs.text)
        XCTAssertFalse(legs.text.contains("<svg"), "userfield as text")
        XCTAssertTrue((legs.headers["content-security-policy"] ?? "").contains("script-src 'self'"))

        // It rang boris (102): anna may not see his callback, nor its call, even by editing the URL.
        let manager = try web.signIn(link: anna)
        XCTAssertEqual(try web.raw("GET", "/callbacks/\(id)", headers: ["Cookie": manager]).status, 404)
        XCTAssertEqual(try web.raw("GET", "/calls/\(callID)", headers: ["Cookie": manager]).status, 404)
        XCTAssertEqual(try web.raw("GET", "/callbacks/\(id)").status, 401, "nobody signed in")
    }
}

/// `/alerts` (SPEC §8.3): a person's own alerts with *Acknowledge*.
final class AlertPageTests: XCTestCase {
    func testAManagerAcknowledgesHerOwnAlertsAndNoOneElses() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let hers = try web.harness.json(["alerts", "--manager", "m1", "--state", "open"]).compactMap { $0.int("alert_id") }
        let others = try web.harness.json(["alerts", "--state", "open"]).filter { $0.text("manager_id") != "m1" }
            .compactMap { $0.int("alert_id") }
        XCTAssertFalse(hers.isEmpty)
        XCTAssertFalse(others.isEmpty)
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let cookie = try web.signIn(link: link)
        let page = try web.raw("GET", "/alerts", headers: ["Cookie": cookie])
        XCTAssertEqual(page.status, 200)
        let shown = page.text.components(separatedBy: "data-alert-id=\"").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        XCTAssertEqual(Set(shown), Set(hers), "exactly her open alerts")
        XCTAssertTrue(page.text.contains("<button name=\"action\" value=\"ack\">"))
        let token = try XCTUnwrap(page.csrfToken)
        let form = ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"]
        XCTAssertEqual(try web.raw("POST", "/alerts/\(hers[0])/ack", headers: form, body: "").status, 403, "no CSRF token")
        XCTAssertEqual(try web.raw("POST", "/alerts/\(others[0])/ack", headers: form, body: "csrf_token=\(token)").status, 404,
                       "not hers: the same answer as none")
        let acked = try web.raw("POST", "/alerts/\(hers[0])/ack", headers: form, body: "csrf_token=\(token)")
        XCTAssertEqual(acked.status, 303)
        XCTAssertEqual(acked.headers["location"], "/alerts")
        let states = Dictionary(uniqueKeysWithValues: try web.harness.json(["alerts"]).compactMap { alert in
            alert.int("alert_id").map { ($0, alert.text("state") ?? "") }
        })
        XCTAssertEqual(states[hers[0]], "acknowledged", "the CLI sees it")
        XCTAssertEqual(states[others[0]], "open")
    }
}

/// `/status` (SPEC §8.3): the head's view of the sources and the quarantine.
final class StatusPageTests: XCTestCase {
    func testTheHeadSeesSourcesAndQuarantineAndAManagerDoesNot() throws {
        let web = try WebHarness(loading: "bad-input", "three-misses")
        defer { web.remove() }
        let held = try web.harness.json(["quarantine"])
        XCTAssertFalse(held.isEmpty)
        let helen = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let anna = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let page = try web.raw("GET", "/status", headers: ["Cookie": try web.signIn(link: helen)])
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("(\(held.count))"), "the quarantine's size")
        for record in held {
            let reason = (record.text("reason") ?? "").replacingOccurrences(of: "&", with: "&amp;")
                .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
                .replacingOccurrences(of: "\"", with: "&quot;")
            XCTAssertTrue(page.text.contains(reason), "\(reason) in \(page.text)")
        }
        XCTAssertTrue(page.text.contains("ingest"), "the one-shot ingest shows as a source")
        XCTAssertEqual(try web.raw("GET", "/status", headers: ["Cookie": try web.signIn(link: anna)]).status, 404, "the head's page")
    }
}

/// The head's `/` (SPEC §8.3): the day's board — the report's figures, the managers, missed
/// calls by hour as a chart — and the unassigned queue with *Assign*.
final class BoardPageTests: XCTestCase {
    func testTheHeadSeesTodaysFiguresAChartAndAssignsFromTheQueue() throws {
        let web = try WebHarness(loading: "three-misses")
        defer { web.remove() }
        // Two missed calls of today, from numbers nobody knows.
        let lines = ["89035556601", "89035556602"].enumerated().map { index, number in
            WebHarness.missedCallNow(from: number, endedAgo: Double(40 + index * 30), id: "\(Int(Date().timeIntervalSince1970) - index).66")
        }
        let today = web.harness.directory.appendingPathComponent("today.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: today, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["ingest", today.path]).status, 0)
        let report = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(try web.harness.run(["report", "--format", "json"]).stdout.utf8))
            as? [[String: Any]])?.first)
        let missed = try XCTUnwrap(report["missed_calls"] as? Int)
        // (Just after midnight they may be yesterday's: the board and the report agree either way.)
        let queue = try web.harness.json(["pending"]).filter { $0.isNull("manager_id") }.compactMap { $0.int("callback_id") }

        let link = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let cookie = try web.signIn(link: link)
        let board = try web.raw("GET", "/", headers: ["Cookie": cookie])
        XCTAssertEqual(board.status, 200)
        XCTAssertTrue(board.text.contains("<span class=\"value\">\(missed)</span> <span class=\"label\">missed calls</span>"),
                      "the report's figure: \(board.text)")
        XCTAssertEqual(board.text.components(separatedBy: "<rect class=\"bar\"").count - 1, 24, "a bar for every hour")
        XCTAssertFalse(board.text.contains("style="), "no inline style: the policy forbids it")
        for name in ["Anna Petrova", "Boris Ivanov"] { XCTAssertTrue(board.text.contains("<td>\(name)</td>"), name) }
        let listed = board.text.components(separatedBy: "<li class=\"callback").dropFirst()
            .compactMap { Int($0.components(separatedBy: "data-callback-id=\"").dropFirst().first?.prefix { $0.isNumber } ?? "") }
        XCTAssertEqual(listed, queue, "the unassigned queue, in pending's order")

        let token = try XCTUnwrap(board.csrfToken)
        let assigned = try web.raw("POST", "/callbacks/\(queue[0])/assign",
                                   headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                   body: "csrf_token=\(token)&manager_id=m2&action=assign")
        XCTAssertEqual(assigned.status, 303)
        XCTAssertEqual(try web.harness.json(["pending"]).first { $0.int("callback_id") == queue[0] }?.text("manager_id"), "m2")

        // The head's pages in the browser, for a person to look at (.build/desk-screenshots/).
        let shots = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try FileManager.default.createDirectory(at: WebBrowserTests.screenshots, withIntermediateDirectories: true)
        let seen = try WebBrowserTests.runScript("desk_shots.py", ["http://127.0.0.1:\(web.port)",
            String(shots.dropFirst("http://127.0.0.1:\(web.port)".count)), WebBrowserTests.screenshots.path,
            "board=/", "alerts=/alerts", "status=/status", "report=/report?day=2026-03-10", "signin-ask=/signin"])
        XCTAssertEqual(seen["alerts"] as? Int, 0)
        XCTAssertEqual((seen["pages"] as? [String: String])?["board"], "Today")
        XCTAssertEqual((seen["pages"] as? [String: String])?["status"], "Sources")
    }
}

/// A queue of thousands is no list to read (issue 14): `/` shows the most urgent so many of
/// each list, in `pending`'s order, and says how many there are.
final class LongQueueTests: XCTestCase {
    func testTheDeskShowsTheFirstHundredOfTheQueueAndSaysHowManyThereAre() throws {
        let web = try WebHarness()
        defer { web.remove() }
        let now = Int(Date().timeIntervalSince1970)
        let lines = (0..<120).map { index in
            WebHarness.missedCallNow(from: "8903555\(String(format: "%04d", index))", endedAgo: Double(40 + index * 5),
                                     id: "\(now - index * 5).\(700 + index)")
        }
        let calls = web.harness.directory.appendingPathComponent("busy-day.csv")
        try (lines.joined(separator: "\n") + "\n").write(to: calls, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["ingest", calls.path]).status, 0)
        let queue = try web.harness.json(["pending"]).filter { $0.isNull("manager_id") }.compactMap { $0.int("callback_id") }
        XCTAssertEqual(queue.count, 120)
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let page = try web.raw("GET", "/", headers: ["Cookie": try web.signIn(link: link)])
        XCTAssertEqual(page.status, 200)
        let listed = page.text.components(separatedBy: "<li class=\"callback").dropFirst()
            .compactMap { Int($0.components(separatedBy: "data-callback-id=\"").dropFirst().first?.prefix { $0.isNumber } ?? "") }
        XCTAssertEqual(listed, Array(queue.prefix(100)), "the first hundred of the queue, the most urgent first")
        XCTAssertTrue(page.text.contains("Showing 100 of 120"), page.text)
        XCTAssertTrue(page.text.contains("Nothing to call back"), "anna has none of her own")
    }
}

/// `[web] language = "ru"` (issue 14): the pages speak Russian, every string from one place.
final class RussianPageTests: XCTestCase {
    func testTheDeskInRussian() throws {
        let web = try WebHarness(loading: "three-misses", web: "language = \"ru\"")
        defer { web.remove() }
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let path = String(link.dropFirst("http://127.0.0.1:\(web.port)".count))
        let button = try web.raw("GET", path)
        XCTAssertTrue(button.text.contains("<html lang=\"ru\">"))
        XCTAssertTrue(button.text.contains(">Войти</button>"), button.text)
        let cookie = try web.signIn(path: path)
        let desk = try web.raw("GET", "/", headers: ["Cookie": cookie])
        for text in ["Мои перезвоны", ">Готово</button>", ">Взять</button>", "пропущено: 3"] {
            XCTAssertTrue(desk.text.contains(text), "\(text) in \(desk.text)")
        }
        XCTAssertFalse(desk.text.contains("My callbacks"))
    }
}

/// *Later* (SPEC §6, §8.3, §8.4): a call promised for a set time, through the CLI, the API
/// and the page; overdue counts from it, the report keeps the first due time.
final class LaterTests: XCTestCase {
    func testAPromisedTimeMovesTheDueTimeEverywhereAndTheReportKeepsTheFirst() throws {
        let web = try WebHarness(loading: "ring-group-nobody-answers", "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let open = try web.harness.json(["pending"])
        guard open.count >= 3 else { return XCTFail("three open callbacks needed: \(open)") }
        let (first, second, third) = (open[0].int("callback_id")!, open[1].int("callback_id")!, open[2].int("callback_id")!)
        XCTAssertEqual(open[0].bool("overdue"), true, "the fixtures' March is long past due")
        let firstDue = try XCTUnwrap(open[0].text("due_at"))
        let promised = "2031-05-06T15:00:00+03:00"

        let cli = try web.harness.run(["later", "\(first)", "--due", "2031-05-06 15:00", "--note", "after lunch"])
        XCTAssertEqual(cli.status, 0, cli.stderr)
        let moved = try XCTUnwrap(try web.harness.json(["pending"]).first { $0.int("callback_id") == first })
        XCTAssertEqual(moved.text("due_at"), promised, "a time without an offset is the calendar's")
        XCTAssertEqual(moved.bool("overdue"), false, "overdue counts from the promised time")
        let past = try web.harness.run(["later", "\(second)", "--due", "2020-01-01 10:00"])
        XCTAssertEqual(past.status, 1)
        XCTAssertTrue(past.stderr.contains("the promised time has passed already"), past.stderr)
        let report = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(try web.harness.run(
            ["report", "--day", "2026-03-10", "--format", "json"]).stdout.utf8)) as? [[String: Any]])?.first)
        let overdue = (report["overdue"] as? [[String: Any]]) ?? []
        XCTAssertEqual(overdue.first { $0.int("callback_id") == first }?.text("due_at"), firstDue,
                       "the report judges the SLA by the first due time")

        let key = try web.key("desk", scope: "write")
        try web.start()
        let api = try web.request("POST", "/api/v1/callbacks/\(second)/later", key: key,
                                  json: #"{"due_at": "2031-05-07T10:30:00+03:00", "note": "Monday"}"#)
        XCTAssertEqual(api.status, 200, api.text)
        XCTAssertEqual(api.object.text("due_at"), "2031-05-07T10:30:00+03:00")
        let notATime = try web.request("POST", "/api/v1/callbacks/\(second)/later", key: key, json: #"{"due_at": "soon"}"#)
        XCTAssertEqual(notATime.status, 422)
        XCTAssertEqual(notATime.object.text("field"), "due_at")

        let link = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let cookie = try web.signIn(link: link)
        let board = try web.raw("GET", "/", headers: ["Cookie": cookie])
        XCTAssertTrue(board.text.contains("<button name=\"action\" value=\"later\">"))
        let token = try XCTUnwrap(board.csrfToken)
        let form = try web.raw("POST", "/callbacks/\(third)/later",
                               headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                               body: "csrf_token=\(token)&due_at=2031-05-08T09%3A15&note=first+thing&action=later")
        XCTAssertEqual(form.status, 303, form.text)
        XCTAssertEqual(try web.harness.json(["pending"]).first { $0.int("callback_id") == third }?.text("due_at"),
                       "2031-05-08T09:15:00+03:00", "the page's datetime field, in the calendar's zone")
    }
}

/// The wallboard (SPEC §8.3): `ringback web-link --wallboard NAME` prints its address; it
/// shows today's figures read-only, refreshes itself, and is revoked like a person's link.
final class WallboardTests: XCTestCase {
    func testAWallboardShowsTheDayRefreshesItselfAndIsRevokedByName() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail")
        defer { web.remove() }
        let printed = try web.harness.run(["web-link", "--wallboard", "sales-floor"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        let link = printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(link.hasPrefix("http://127.0.0.1:\(web.port)/wallboard/"), link)
        XCTAssertEqual(printed.stdout.split(separator: "\n").count, 1, "alone on standard output")
        let overdue = try web.harness.json(["pending", "--overdue"]).count
        try web.start()
        let path = String(link.dropFirst("http://127.0.0.1:\(web.port)".count))
        let board = try web.raw("GET", path)
        XCTAssertEqual(board.status, 200, board.text)
        XCTAssertTrue(board.text.contains("<h1>sales-floor · "), board.text)
        XCTAssertTrue(board.text.contains("<meta http-equiv=\"refresh\" content=\"30\">"))
        XCTAssertTrue(board.text.contains("<span class=\"value\">\(overdue)</span> <span class=\"label\">overdue now</span>"))
        XCTAssertFalse(board.text.contains("<form"), "read-only")
        XCTAssertTrue((board.headers["content-security-policy"] ?? "").contains("default-src 'none'"))
        XCTAssertEqual(try web.raw("GET", "/wallboard/guessed").status, 404)
        let revoked = try web.harness.run(["web-revoke", "sales-floor"])
        XCTAssertTrue(revoked.stdout.contains("1 wallboard(s) revoked"), revoked.stdout)
        XCTAssertEqual(try web.raw("GET", path).status, 404, "revoked like a person's link")
        XCTAssertEqual(try web.harness.run(["web-link"]).status, 1, "neither a login nor --wallboard")
    }

    /// SPEC §10: a wallboard made for one office shows that office's day and overdue
    /// callbacks; one made without shows every office's.
    func testAnOfficesWallboardShowsThatOfficeAlone() throws {
        let web = try WebHarness(loading: "three-misses", configuration: "\n[office]\nname = \"msk\"\n")
        defer { web.remove() }
        let moscowOverdue = try web.harness.json(["pending", "--overdue"]).count
        try web.kazanIngests("voicemail")
        let allOverdue = try web.harness.json(["pending", "--overdue"]).count
        XCTAssertGreaterThan(moscowOverdue, 0)
        XCTAssertGreaterThan(allOverdue, moscowOverdue, "Kazan's missed call is overdue too")
        func board(_ arguments: [String]) throws -> String {
            let printed = try web.harness.run(["web-link", "--wallboard"] + arguments)
            XCTAssertEqual(printed.status, 0, printed.stderr)
            return try web.raw("GET", String(printed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                .dropFirst("http://127.0.0.1:\(web.port)".count))).text
        }
        try web.start()
        func overdue(_ count: Int) -> String { "<span class=\"value\">\(count)</span> <span class=\"label\">overdue now</span>" }
        let kazan = try board(["kazan-floor", "--office", "kzn"])
        XCTAssertTrue(kazan.contains("<h1>kazan-floor · kzn · "), kazan)
        XCTAssertTrue(kazan.contains(overdue(allOverdue - moscowOverdue)), kazan)
        XCTAssertTrue(try board(["moscow-floor", "--office", "msk"]).contains(overdue(moscowOverdue)))
        XCTAssertTrue(try board(["whole-floor"]).contains(overdue(allOverdue)))
        let unknown = try web.harness.run(["web-link", "--wallboard", "spb-floor", "--office", "spb"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("msk, kzn"), "names the offices it knows: \(unknown.stderr)")
        XCTAssertEqual(try web.harness.run(["web-link", "anna", "--office", "kzn"]).status, 1, "an office is a wallboard's")
    }
}

extension WebHarness {
    /// A second office, Kazan, beside a harness made with `[office] name = "msk"`, ingests
    /// `fixture` into the same store.
    fileprivate func kazanIngests(_ fixture: String) throws {
        let kazanConfig = harness.directory.appendingPathComponent("kzn.toml")
        // The fixture's configuration as the web harness wrote it (on PostgreSQL the harness
        // points its own copy at the database, and so will Kazan's).
        try (String(contentsOf: harness.directory.appendingPathComponent("web.toml"), encoding: .utf8)
            .replacingOccurrences(of: "name = \"msk\"", with: "name = \"kzn\""))
            .write(to: kazanConfig, atomically: true, encoding: .utf8)
        let kazan = try RingbackHarness(config: kazanConfig.path, sharing: harness)
        let output = try kazan.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/\(fixture).csv").path])
        XCTAssertEqual(output.status, 0, output.stderr)
    }
}

/// `/report` (SPEC §8.3): the head's report of a day with its charts and the 30-day trend.
final class ReportPageTests: XCTestCase {
    func testTheReportOfADayAgreesWithTheCLIAndDrawsItsTrend() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail", "callback-after-due")
        defer { web.remove() }
        let report = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(try web.harness.run(
            ["report", "--day", "2026-03-10", "--format", "json"]).stdout.utf8)) as? [[String: Any]])?.first)
        let helen = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let anna = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let page = try web.raw("GET", "/report?day=2026-03-10", headers: ["Cookie": try web.signIn(link: helen)])
        XCTAssertEqual(page.status, 200)
        let missed = try XCTUnwrap(report["missed_calls"] as? Int)
        XCTAssertGreaterThan(missed, 0)
        XCTAssertTrue(page.text.contains("<span class=\"value\">\(missed)</span> <span class=\"label\">missed calls</span>"))
        XCTAssertTrue(page.text.contains("value=\"2026-03-10\""), "the day chosen")
        XCTAssertEqual(page.text.components(separatedBy: "<rect class=\"bar\"").count - 1, 24 + 30, "by hour, and 30 days")
        XCTAssertTrue(page.text.contains("<polyline class=\"sla\""))
        XCTAssertFalse(page.text.contains("style="))
        XCTAssertEqual(try web.raw("GET", "/report", headers: ["Cookie": try web.signIn(link: anna)]).status, 404, "the head's page")
    }

    /// SPEC §10: the head's board and report for one office or for all, with a link to each.
    func testTheHeadSeesTheBoardAndTheReportPerOfficeOrForAll() throws {
        let web = try WebHarness(loading: "three-misses", configuration: "\n[office]\nname = \"msk\"\n")
        defer { web.remove() }
        try web.kazanIngests("voicemail")
        func missed(_ office: String?) throws -> Int? {
            try web.harness.json(["report", "--day", "2026-03-10"] + (office.map { ["--office", $0] } ?? [])).first?.int("missed_calls")
        }
        let (all, kzn) = (try XCTUnwrap(missed(nil)), try XCTUnwrap(missed("kzn")))
        XCTAssertEqual(kzn, 1)
        XCTAssertGreaterThan(all, kzn)
        let helen = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let cookie = ["Cookie": try web.signIn(link: helen)]
        let board = try web.raw("GET", "/", headers: cookie)
        XCTAssertEqual(board.status, 200)
        XCTAssertTrue(board.text.contains("<a href=\"/?office=kzn\">kzn</a>"), board.text)
        XCTAssertTrue(board.text.contains("<strong>All offices</strong>"))
        let kazanBoard = try web.raw("GET", "/?office=kzn", headers: cookie)
        XCTAssertTrue(kazanBoard.text.contains("<strong>kzn</strong>"))
        XCTAssertTrue(kazanBoard.text.contains("/events?follow=callbacks,board&amp;office=kzn")
                      || kazanBoard.text.contains("/events?follow=callbacks,board&office=kzn"), "the live board follows Kazan's")
        XCTAssertEqual(try web.raw("GET", "/?office=spb", headers: cookie).status, 404)
        let stream = try web.raw("GET", "/events?follow=callbacks,board&office=spb", headers: cookie)
        XCTAssertEqual(stream.status, 422, "a stream of an office the store does not know is refused")
        XCTAssertTrue(stream.text.contains("msk, kzn") || stream.text.contains("kzn, msk"), stream.text)
        let report = try web.raw("GET", "/report?day=2026-03-10&office=kzn", headers: cookie)
        XCTAssertTrue(report.text.contains("<span class=\"value\">\(kzn)</span> <span class=\"label\">missed calls</span>"), report.text)
        XCTAssertTrue(report.text.contains("name=\"office\" value=\"kzn\""), "the day picker stays in Kazan")
        let whole = try web.raw("GET", "/report?day=2026-03-10", headers: cookie).text
        XCTAssertTrue(whole.contains("<span class=\"value\">\(all)</span> <span class=\"label\">missed calls</span>"), whole)
    }
}

/// Search by number (SPEC §8.3): any spelling, normalized as the PBX's numbers are.
final class SearchPageTests: XCTestCase {
    func testANumberInAnySpellingFindsItsCallbackAndTodaysCall() throws {
        let web = try WebHarness(loading: "three-misses")
        defer { web.remove() }
        let id = "\(Int(Date().timeIntervalSince1970)).88"
        let file = web.harness.directory.appendingPathComponent("today.csv")
        try (WebHarness.missedCallNow(from: "89035556601", dial: "PJSIP/101,30", endedAgo: 30, id: id) + "\n")
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["ingest", file.path]).status, 0)
        let callbackID = try XCTUnwrap(try web.harness.json(["pending"]).first { $0.text("number") == "+79035556601" }?.int("callback_id"))
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let cookie = try web.signIn(link: link)
        let found = try web.raw("GET", "/search?number=8%20(903)%20555-66-01", headers: ["Cookie": cookie])
        XCTAssertEqual(found.status, 200)
        XCTAssertTrue(found.text.contains("<a href=\"tel:+79035556601\">+79035556601</a>"), found.text)
        XCTAssertTrue(found.text.contains("data-callback-id=\"\(callbackID)\""))
        XCTAssertTrue(found.text.contains("href=\"/calls/\(id)\""), "today's call")
        let none = try web.raw("GET", "/search?number=%3Cscript%3Ehello", headers: ["Cookie": cookie])
        XCTAssertTrue(none.text.contains("&quot;&lt;script&gt;hello&quot; holds no phone number."), none.text)
    }
}
