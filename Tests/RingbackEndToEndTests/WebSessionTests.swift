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
        let token = try XCTUnwrap(home.text.components(separatedBy: "name=\"csrf_token\" value=\"").dropFirst().first?
            .components(separatedBy: "\"").first)
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
}
