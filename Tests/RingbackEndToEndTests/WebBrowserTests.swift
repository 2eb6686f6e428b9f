import Foundation
import XCTest

/// The desk in a real browser (SPEC §8.3): Debian's chromium, headless, driven by Selenium
/// (`Tests/Browser/desk_browser.py`) against a real `ringback-web` on a real store. The
/// screenshots land in `.build/desk-screenshots/` for a person to look at.
final class WebBrowserTests: XCTestCase {
    static let screenshots = RingbackHarness.repository.appendingPathComponent(".build/desk-screenshots")
    /// A caller-ID name as a hostile caller would choose it, here a client's name from a CRM.
    static let hostile = #""<img src=x onerror=alert(1)>" <84951234567></script><script>alert(2)</script>"#

    func testAManagerSignsInByTheButtonTakesAndClearsTheirOwnAndHostileTextStaysText() throws {
        let web = try WebHarness(loading: "ring-group-nobody-answers", "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let all = try web.harness.json(["pending"])
        let mine = try XCTUnwrap(all.first { $0.text("manager_id") == "m1" })
        let unassigned = all.filter { $0.isNull("manager_id") }
        XCTAssertGreaterThan(unassigned.count, 1)
        // Her callback's client gets a hostile name through the clients file.
        let clients = web.harness.directory.appendingPathComponent("hostile-clients.csv")
        let name = Self.hostile.replacingOccurrences(of: "\"", with: "\"\"")
        try "client_id,name,abc,phones,manager_id\nc9,\"\(name)\",A,\(mine.text("number") ?? ""),m1\n"
            .write(to: clients, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["import", "clients", clients.path]).status, 0)
        // One unassigned callback goes to boris (after the import, which gives every open
        // callback its owner again): anna must not see it.
        let boris = try XCTUnwrap(unassigned.first?.int("callback_id"))
        XCTAssertEqual(try web.harness.run(["assign", "\(boris)", "--manager", "m2"]).status, 0)
        let take = try XCTUnwrap(unassigned.dropFirst().first?.int("callback_id"))
        // Her own first, then the unassigned queue, each in the CLI's order.
        let pending = try web.harness.json(["pending"])
        let expected = (pending.filter { $0.text("manager_id") == "m1" } + pending.filter { $0.isNull("manager_id") })
            .compactMap { $0.int("callback_id") }

        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "http://127.0.0.1:\(web.port)"
        try web.start()
        try FileManager.default.createDirectory(at: Self.screenshots, withIntermediateDirectories: true)
        let seen = try drive(base: base, path: String(link.dropFirst(base.count)), done: try XCTUnwrap(mine.int("callback_id")),
                             take: take)

        XCTAssertEqual(seen["signin_buttons"] as? Int, 1)
        XCTAssertEqual(seen["after_signin_path"] as? String, "/", "the button signs in and opens the desk")
        XCTAssertEqual(seen["before"] as? [Int], expected, "exactly her own, then the unassigned, in the CLI's order")
        XCTAssertFalse((seen["before"] as? [Int] ?? []).contains(boris))
        XCTAssertTrue((seen["client_names"] as? [String] ?? []).contains(Self.hostile), "the name shows as the text it is")
        XCTAssertEqual(seen["injected_images"] as? Int, 0, "no element came out of it")
        XCTAssertEqual(seen["alert"] as? Bool, false, "and no script ran")
        XCTAssertEqual(seen["alert_at_end"] as? Bool, false)
        XCTAssertTrue((seen["tel_links"] as? [String] ?? []).allSatisfy { $0.hasPrefix("tel:+") }, "every number is a tel: link")
        XCTAssertEqual(seen["take_buttons_left"] as? Int, 0, "taken: hers now, nothing left to take")
        // The CLI agrees with what the browser did: the taken one is hers now, the done one gone.
        let after = try web.harness.json(["pending"])
        XCTAssertEqual(seen["after_done"] as? [Int], (after.filter { $0.text("manager_id") == "m1" } + after.filter { $0.isNull("manager_id") })
            .compactMap { $0.int("callback_id") })
        XCTAssertEqual(Set(seen["after_done"] as? [Int] ?? []), Set(expected.filter { $0 != mine.int("callback_id") }))
        let taken = after.first { $0.int("callback_id") == take }
        XCTAssertEqual(taken?.text("manager_id"), "m1")
        let resolved = try web.harness.json(["missed", "--since", "2026-03-01"]).first { $0.int("callback_id") == mine.int("callback_id") }
        XCTAssertEqual(resolved?.text("callback_state"), "closed")
        XCTAssertEqual(resolved?.text("resolved_by"), "anna")
        XCTAssertGreaterThan(seen["story_rows"] as? Int ?? 0, 0, "the taken callback's calls")
        XCTAssertGreaterThan(seen["legs_rows"] as? Int ?? 0, 0, "and a call's rows")
        for page in ["signin", "desk", "desk-after", "callback", "call"] {
            for width in [390, 1280] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: Self.screenshots.appendingPathComponent("\(page)-\(width).png").path))
            }
        }
    }

    /// Every page sends the policy that keeps injected markup inert; a form posted without
    /// the session's CSRF token changes nothing.
    func testEveryPageSendsItsPolicyAndAFormWithoutTheTokenIsRefused() throws {
        let web = try WebHarness(loading: "three-misses")
        defer { web.remove() }
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let path = String(link.dropFirst("http://127.0.0.1:\(web.port)".count))
        let cookie = try web.signIn(path: path)
        let id = try XCTUnwrap(try web.harness.json(["pending"]).first?.int("callback_id"))
        for (method, page, headers) in [("GET", path, [:]), ("GET", "/", ["Cookie": cookie]), ("GET", "/", [:])] {
            let answer = try web.raw(method, page, headers: headers)
            let policy = answer.headers["content-security-policy"] ?? ""
            XCTAssertTrue(policy.contains("default-src 'none'") && policy.contains("style-src 'self'"), "\(page): \(policy)")
            XCTAssertFalse(policy.contains("unsafe-inline"))
            XCTAssertEqual(answer.headers["referrer-policy"], "no-referrer")
        }
        let form = ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"]
        let forged = try web.raw("POST", "/callbacks/\(id)/resolve", headers: form, body: "reason=forged")
        XCTAssertEqual(forged.status, 403, "no CSRF token")
        let wrong = try web.raw("POST", "/callbacks/\(id)/resolve", headers: form, body: "reason=forged&csrf_token=guess")
        XCTAssertEqual(wrong.status, 403, "a wrong one")
        XCTAssertTrue(try web.harness.json(["pending"]).contains { $0.int("callback_id") == id }, "still open")
    }

    /// A missed call stored by `ringbackd` shows on an open page without a reload; resolved
    /// elsewhere, it leaves it. (The spec's 2 s is measured by `scripts/bench-latency.sh`.)
    func testANewMissedCallAppearsOnTheOpenPageAndLeavesItWhenResolvedElsewhere() throws {
        let (web, spool) = try WebHarness.withSpool()
        defer { web.remove(); try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "http://127.0.0.1:\(web.port)"
        try web.start()
        try web.startDaemon()
        // A caller nobody knows rings the sales group now: an unassigned callback, on anna's page.
        let line = WebHarness.missedCallNow(from: "89035559999", endedAgo: 5, id: "\(Int(Date().timeIntervalSince1970)).501")
        let cli = [RingbackHarness.products.appendingPathComponent("ringback").path, "--config", web.harness.config] + web.harness.storeArguments
        let seen = try run("desk_live.py", [base, String(link.dropFirst(base.count)), spool.appendingPathComponent("Master.csv").path,
                                            line, "+79035559999", String(decoding: try JSONSerialization.data(withJSONObject: cli), as: UTF8.self)])
        XCTAssertEqual(seen["same_page"] as? Bool, true, "no reload: the page swapped its list in")
        XCTAssertEqual(seen["still_same_page"] as? Bool, true)
        XCTAssertNotNil(seen["appeared_after_ms"] as? Int, "\(seen)")
        XCTAssertNotNil(seen["left_after_ms"] as? Int)
        let callbackID = try XCTUnwrap(seen["callback_id"] as? Int)
        XCTAssertFalse(try web.harness.json(["pending"]).contains { $0.int("callback_id") == callbackID }, "resolved in the store")
        print("live: appeared after \(seen["appeared_after_ms"] ?? "?") ms, left after \(seen["left_after_ms"] ?? "?") ms")
    }

    /// The head's board, `/alerts` and the wallboard, open side by side: a missed call stored
    /// by `ringbackd` shows on each without a reload.
    func testTheHeadsBoardAlertsAndWallboardShowANewMissedCallLive() throws {
        let (web, spool) = try WebHarness.withSpool()
        defer { web.remove(); try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
        let base = "http://127.0.0.1:\(web.port)"
        let link = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let wallboard = try web.harness.run(["web-link", "--wallboard", "office"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        try web.startDaemon()
        let line = WebHarness.missedCallNow(from: "89035558888", endedAgo: 5, id: "\(Int(Date().timeIntervalSince1970)).502")
        let seen = try run("board_live.py", [base, String(link.dropFirst(base.count)), String(wallboard.dropFirst(base.count)),
                                             spool.appendingPathComponent("Master.csv").path, line, "+79035558888"])
        for page in ["alerts", "board", "wallboard"] {
            XCTAssertNotNil(seen["\(page)_after_ms"] as? Int, "\(page): \(seen)")
            XCTAssertEqual(seen["\(page)_same_page"] as? Bool, true, "\(page) swapped its content in, no reload")
        }
        print("live for the head: \(seen)")
    }

    private func drive(base: String, path: String, done: Int, take: Int) throws -> [String: Any] {
        try run("desk_browser.py", [base, path, Self.screenshots.path, String(done), String(take)])
    }

    private func run(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        try Self.runScript(script, arguments)
    }

    /// One of the browser scripts (`Tests/Browser/`); what it printed, as JSON.
    static func runScript(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try WebHarness.testTools() + "/python")
        process.arguments = [RingbackHarness.repository.appendingPathComponent("Tests/Browser/\(script)").path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, errors)
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}
