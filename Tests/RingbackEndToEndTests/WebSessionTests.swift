import Foundation
import XCTest

/// Sign-in by one-time link and the session's access (SPEC §8.2, §8.4), against a real
/// `ringback-web`: a link opened shows a button and spends nothing; pressed, it starts a
/// session once; the session sees and changes what is its person's, and writes carry the
/// CSRF token.
final class WebSessionTests: XCTestCase {
    private func webLink(_ web: WebHarness, _ login: String) throws -> String {
        let output = try web.harness.run(["web-link", login])
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, "the link alone on standard output: \(output.stdout)")
        let link = String(lines.first ?? "")
        XCTAssertTrue(link.hasPrefix("http://127.0.0.1:\(web.port)/signin/"), link)
        return String(link.dropFirst("http://127.0.0.1:\(web.port)".count))
    }

    /// Presses the link's button: the session cookie's value.
    private func signIn(_ web: WebHarness, path: String) throws -> String {
        let pressed = try web.raw("POST", path, headers: ["Content-Type": "application/x-www-form-urlencoded"], body: "action=signin")
        XCTAssertEqual(pressed.status, 303, pressed.text)
        XCTAssertEqual(pressed.headers["location"], "/")
        let cookie = try XCTUnwrap(pressed.headers["set-cookie"])
        for flag in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=\(30 * 86_400)"] {
            XCTAssertTrue(cookie.contains(flag), cookie)
        }
        XCTAssertFalse(cookie.contains("Secure"), "plain HTTP on loopback: a Secure cookie would never come back")
        return String(cookie.split(separator: ";")[0])
    }

    func testALinkShowsAButtonSpendsOnceAndItsSessionSeesAndChangesOnlyWhatIsTheirs() throws {
        let web = try WebHarness(loading: "ring-group-nobody-answers", "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let all = try web.harness.json(["pending"])
        let theirs = try XCTUnwrap(all.first { $0.isNull("manager_id") }?.int("callback_id"))
        XCTAssertEqual(try web.harness.run(["assign", "\(theirs)", "--manager", "m2"]).status, 0)
        let path = try webLink(web, "anna")
        try web.start()

        // A mail scanner fetching the link spends nothing.
        for _ in 0..<2 {
            let page = try web.raw("GET", path)
            XCTAssertEqual(page.status, 200)
            XCTAssertTrue(page.text.contains("<button name=\"action\" value=\"signin\">"), page.text)
            XCTAssertTrue((page.headers["content-security-policy"] ?? "").contains("default-src 'none'"))
            XCTAssertFalse((page.headers["content-security-policy"] ?? "").contains("unsafe-inline"))
            XCTAssertEqual(page.headers["referrer-policy"], "no-referrer")
        }
        let cookie = try signIn(web, path: path)
        let again = try web.raw("POST", path, body: "action=signin")
        XCTAssertEqual(again.status, 410, "a spent link signs nobody in")
        XCTAssertNil(again.headers["set-cookie"])
        XCTAssertEqual(try web.raw("GET", path).status, 410)

        // What anna (m1) sees: her callbacks and the unassigned queue, as the CLI lists them.
        let listed = try web.raw("GET", "/api/v1/callbacks", headers: ["Cookie": cookie])
        XCTAssertEqual(listed.status, 200, listed.text)
        let expected = try web.harness.json(["pending"]).filter { $0.text("manager_id") == "m1" || $0.isNull("manager_id") }
        XCTAssertGreaterThan(expected.filter { $0.text("manager_id") == "m1" }.count, 0)
        XCTAssertEqual(listed.objects.compactMap { $0.int("callback_id") }, expected.compactMap { $0.int("callback_id") })
        XCTAssertFalse(listed.objects.contains { $0.int("callback_id") == theirs }, "boris's callback is not hers")
        XCTAssertEqual(try web.raw("GET", "/api/v1/callbacks?manager=m2", headers: ["Cookie": cookie]).status, 403)
        XCTAssertEqual(try web.raw("GET", "/api/v1/callbacks?manager=unassigned", headers: ["Cookie": cookie]).status, 200)
        XCTAssertEqual(try web.raw("GET", "/api/v1/alerts?manager=m2", headers: ["Cookie": cookie]).status, 403)
        XCTAssertEqual(try web.raw("GET", "/api/v1/report", headers: ["Cookie": cookie]).status, 403, "the report is the head's")

        // Writes carry the session's CSRF token, which her page holds.
        let home = try web.raw("GET", "/", headers: ["Cookie": cookie])
        XCTAssertEqual(home.status, 200)
        let token = try XCTUnwrap(home.csrfToken)
        let own = try XCTUnwrap(expected.first { $0.text("manager_id") == "m1" }?.int("callback_id"))
        let body = "{\"reason\": \"spoke on her mobile\"}"
        let json = ["Cookie": cookie, "Content-Type": "application/json"]
        let forged = try web.raw("POST", "/api/v1/callbacks/\(own)/resolve", headers: json, body: body)
        XCTAssertEqual(forged.status, 403, "a write without the CSRF token is refused: \(forged.text)")
        XCTAssertEqual(try web.raw("POST", "/api/v1/callbacks/\(theirs)/resolve", headers: json.merging(["X-CSRF-Token": token]) { $1 },
                                   body: body).status, 403, "another manager's callback")
        let resolved = try web.raw("POST", "/api/v1/callbacks/\(own)/resolve", headers: json.merging(["X-CSRF-Token": token]) { $1 },
                                   body: body)
        XCTAssertEqual(resolved.status, 200, resolved.text)
        XCTAssertEqual(resolved.object.text("resolved_by"), "anna", "a person's change is credited to their login")
        let take = try XCTUnwrap(expected.first { $0.isNull("manager_id") }?.int("callback_id"))
        let taken = try web.raw("POST", "/api/v1/callbacks/\(take)/assign", headers: json.merging(["X-CSRF-Token": token]) { $1 },
                                body: "{\"manager_id\": \"m1\"}")
        XCTAssertEqual(taken.object.text("manager_id"), "m1", "a manager takes an unassigned callback: \(taken.text)")
        XCTAssertEqual(try web.raw("POST", "/api/v1/callbacks/\(take)/assign", headers: json.merging(["X-CSRF-Token": token]) { $1 },
                                   body: "{\"manager_id\": \"m2\"}").status, 403, "only the head assigns to others")

        // web-revoke ends the session.
        let revoke = try web.harness.run(["web-revoke", "anna"])
        XCTAssertEqual(revoke.status, 0, revoke.stderr)
        XCTAssertTrue(revoke.stdout.contains("1 session(s) ended"), revoke.stdout)
        XCTAssertEqual(try web.raw("GET", "/api/v1/callbacks", headers: ["Cookie": cookie]).status, 401)
        XCTAssertFalse(web.log.contains(cookie.split(separator: "=")[1]), "a session id never reaches the log")
    }

    func testAManagerSwitchedOffIsSignedOutAndGetsNoLink() throws {
        let web = try WebHarness(loading: "three-misses")
        defer { web.remove() }
        let key = try web.key("admin", scope: "write")
        let path = try webLink(web, "anna")
        try web.start()
        let cookie = try signIn(web, path: path)
        XCTAssertEqual(try web.raw("GET", "/api/v1/callbacks", headers: ["Cookie": cookie]).status, 200)
        let put = try web.request("PUT", "/api/v1/managers/m1", key: key, json: """
            {"name": "Anna Petrova", "extensions": ["101"], "login": "anna", "email": "anna@office.example",
             "role": "manager", "active": false}
            """)
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertEqual(try web.raw("GET", "/api/v1/callbacks", headers: ["Cookie": cookie]).status, 401,
                       "active = false signs her out at once")
        let refused = try web.harness.run(["web-link", "anna"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("active = false"), refused.stderr)
        XCTAssertEqual(refused.stdout, "")
        let unknown = try web.harness.run(["web-link", "nobody"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no manager with the login nobody"), unknown.stderr)
    }

    /// `/signin` by login (SPEC §8.2): the link goes to the directory's address through
    /// `[report] command`, once in 10 minutes a login, and the page answers the same for
    /// a login that does not exist.
    func testALinkAskedForByLoginIsMailedOnceInTenMinutesAndThePageSaysTheSameForAnyone() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-mail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // The "mail program" keeps each message in a file of its own.
        let program = scratch.appendingPathComponent("sendmail")
        try "#!/bin/sh\ncat > \"$(mktemp \(scratch.path)/mail.XXXXXX)\"\n".write(to: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let web = try WebHarness(loading: "three-misses", configuration: """

            [report]
            command = "\(program.path)"

            """)
        defer { web.remove() }
        try web.start()
        let page = try web.raw("GET", "/signin")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.text.contains("name=\"login\""), page.text)
        XCTAssertEqual(page.headers["referrer-policy"], "no-referrer")
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let answers = try ["anna", "nobody", "anna", "boris"].map { login in
            try web.raw("POST", "/signin", headers: form, body: "login=\(login)&action=mail")
        }
        XCTAssertEqual(Set(answers.map(\.status)), [200])
        XCTAssertEqual(Set(answers.map(\.text)).count, 1, "the same answer whether or not the login exists, or was mailed")

        // One program at a time, in order: once boris's message is there, anna's second
        // request (made before it) would have been too.
        func mails() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).filter { $0.hasPrefix("mail.") }.compactMap {
                try? String(contentsOf: scratch.appendingPathComponent($0), encoding: .utf8)
            }
        }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !mails().contains(where: { $0.contains("To: boris@office.example") && $0.hasSuffix("mail.\n") }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let sent = mails()
        XCTAssertEqual(sent.filter { $0.contains("To: boris@office.example") }.count, 1, "\(sent)")
        let toAnna = sent.filter { $0.contains("To: anna@office.example") }
        XCTAssertEqual(toAnna.count, 1, "a second request within 10 minutes mails nothing: \(sent)")
        XCTAssertEqual(sent.count, 2, "nothing for a login that does not exist")
        let message = try XCTUnwrap(toAnna.first)
        XCTAssertTrue(message.contains("Subject: Your Ringback sign-in link"), message)
        let link = try XCTUnwrap(message.split(separator: "\n").first { $0.hasPrefix("http://127.0.0.1:\(web.port)/signin/") })
        XCTAssertFalse(try String(contentsOf: web.logFile, encoding: .utf8).contains(link.split(separator: "/").last ?? "?"),
                       "the log names the login, never the link")

        let cookie = try web.signIn(link: String(link))
        let home = try web.raw("GET", "/", headers: ["Cookie": cookie])
        XCTAssertEqual(home.status, 200)
        XCTAssertTrue(home.text.contains("anna"), home.text)
    }

    /// Behind a reverse proxy that signs people in (SPEC §8.2): its header names the login,
    /// believed only from `trusted_proxy` with the proxy's secret; such a request is never
    /// a loopback one.
    func testTheProxysHeaderSignsInOnlyWithItsSecret() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let secret = "proxy-\(UUID().uuidString)"
        try secret.write(to: scratch.appendingPathComponent("proxy.secret"), atomically: true, encoding: .utf8)
        let web = try WebHarness(loading: "three-misses", web: """
            trusted_proxy = "127.0.0.1"
            user_header = "X-Remote-User"
            proxy_secret_file = "\(scratch.appendingPathComponent("proxy.secret").path)"
            """)
        defer { web.remove() }
        try web.start()
        let proxied = ["X-Remote-User": "anna", "X-Ringback-Proxy-Secret": secret]
        let home = try web.raw("GET", "/", headers: proxied)
        XCTAssertEqual(home.status, 200, home.text)
        XCTAssertTrue(home.text.contains("anna"))
        XCTAssertFalse(home.text.contains("action=\"/signout\""), "the proxy signs people out, not us")
        let expected = try web.harness.json(["pending"]).filter { $0.text("manager_id") == "m1" || $0.isNull("manager_id") }
        let listed = try web.raw("GET", "/api/v1/callbacks", headers: proxied)
        XCTAssertEqual(listed.objects.compactMap { $0.int("callback_id") }, expected.compactMap { $0.int("callback_id") })

        for forged in [["X-Remote-User": "helen"], ["X-Remote-User": "helen", "X-Ringback-Proxy-Secret": "guess"]] {
            XCTAssertEqual(try web.raw("GET", "/", headers: forged).status, 401, "\(forged)")
            XCTAssertEqual(try web.raw("GET", "/api/v1/callbacks", headers: forged).status, 401)
        }
        XCTAssertEqual(try web.raw("GET", "/", headers: ["X-Remote-User": "nobody", "X-Ringback-Proxy-Secret": secret]).status, 401)
        XCTAssertEqual(try web.raw("GET", "/metrics").status, 401, "through the proxy is never loopback")

        // Her forms carry a token of her own, and a form without it is refused.
        let token = try XCTUnwrap(home.csrfToken)
        let own = try XCTUnwrap(expected.first?.int("callback_id"))
        let form = proxied.merging(["Content-Type": "application/x-www-form-urlencoded"]) { $1 }
        XCTAssertEqual(try web.raw("POST", "/callbacks/\(own)/resolve", headers: form, body: "reason=mobile&action=resolve").status, 403)
        let done = try web.raw("POST", "/callbacks/\(own)/resolve", headers: form,
                               body: "csrf_token=\(token)&reason=mobile&action=resolve")
        XCTAssertEqual(done.status, 303, done.text)
        XCTAssertFalse(try web.harness.json(["pending"]).contains { $0.int("callback_id") == own })
    }
}
