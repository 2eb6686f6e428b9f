import Foundation
import XCTest

/// `GET /api/v1/route` (SPEC §9.2) against a real `ringback-web`: the open callback's owner
/// first, else the client's manager, else nulls; nobody while away; text for the dialplan.
final class RouteTests: XCTestCase {
    func testTheOwnerFirstThenTheClientsManagerAndNobodyWhileAway() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let pending = try web.harness.json(["pending"])
        let annas = try XCTUnwrap(pending.first { $0.text("manager_id") == "m1" }?.text("number"))
        XCTAssertFalse(pending.contains { $0.text("number") == "+79162223344" }, "Beta's number has no open callback")
        try web.start()
        func route(_ number: String, _ extra: String = "") throws -> [String: Any] {
            let answer = try web.raw("GET", "/api/v1/route?number=\(number.replacingOccurrences(of: "+", with: "%2B"))\(extra)")
            XCTAssertEqual(answer.status, 200, answer.text)
            return answer.object
        }

        let owner = try route(annas)
        XCTAssertEqual(owner["extension"] as? String, "101")
        XCTAssertEqual(owner["manager_id"] as? String, "m1")
        XCTAssertEqual(owner["reason"] as? String, "open_callback")
        // Beta Logistics is boris's client, in any spelling of its number.
        let client = try route("8%20(916)%20222-33-44")
        XCTAssertEqual(client["extension"] as? String, "102")
        XCTAssertEqual(client["manager_id"] as? String, "m2")
        XCTAssertEqual(client["reason"] as? String, "client_manager")
        let nobody = try route("+79990001122")
        XCTAssertTrue(["extension", "manager_id", "reason"].allSatisfy { nobody[$0] is NSNull }, "\(nobody)")

        let text = try web.raw("GET", "/api/v1/route?number=89162223344&format=text")
        XCTAssertEqual(text.text, "102")
        XCTAssertTrue((text.headers["content-type"] ?? "").hasPrefix("text/plain"))
        XCTAssertEqual(try web.raw("GET", "/api/v1/route?number=89990001122&format=text").text, "", "an empty body: ring as usual")
        XCTAssertEqual(try web.raw("GET", "/api/v1/route").status, 400, "the number is required")

        // Boris away until today: nobody is rung first for his client; back, he is again.
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Europe/Moscow")!,
                                                formatOptions: [.withFullDate])
        XCTAssertEqual(try web.harness.run(["away", "boris", "--until", today]).status, 0)
        XCTAssertTrue(try route("89162223344")["extension"] is NSNull, "away")
        XCTAssertEqual(try web.harness.run(["away", "boris", "--back"]).status, 0)
        XCTAssertEqual(try route("89162223344")["extension"] as? String, "102")
        XCTAssertEqual(try web.harness.run(["away", "nobody", "--back"]).status, 1)

        // Set by `ringback away`, kept by a managers file without the column; set by a PUT.
        XCTAssertEqual(try web.harness.run(["away", "boris", "--until", today]).status, 0)
        let managers = RingbackHarness.fixtures.appendingPathComponent("directory/managers.csv").path
        XCTAssertEqual(try web.harness.run(["import", "managers", managers]).status, 0)
        XCTAssertTrue(try route("89162223344")["extension"] is NSNull, "the file has no away_until column: still away")
        let key = try web.key("admin", scope: "write")
        let back = try web.request("PUT", "/api/v1/managers/m2", key: key, json: """
            {"name": "Boris Ivanov", "extensions": ["102", "boris-softphone"], "login": "boris", "email": "boris@office.example",
             "role": "manager", "away_until": null}
            """)
        XCTAssertEqual(back.status, 200, back.text)
        XCTAssertEqual(try route("89162223344")["extension"] as? String, "102", "away_until null: back")
        let bad = try web.request("PUT", "/api/v1/managers/m2", key: key, json: """
            {"name": "Boris Ivanov", "extensions": ["102"], "away_until": "next week"}
            """)
        XCTAssertEqual(bad.status, 422, bad.text)
        XCTAssertEqual(bad.object.text("field"), "away_until")
    }

    /// While a manager is away, a new callback that would be theirs waits in the queue; a
    /// directory change recomputes only the callbacks of the entries it changed, and gives
    /// an away manager nothing new (SPEC §9.2): anna's new address leaves the queued callback
    /// in the queue; once she is back, a client of boris's taking the number moves it to him.
    func testAnAwayManagersCallbackWaitsInTheQueueThroughDirectoryChanges() throws {
        let web = try WebHarness()
        defer { web.remove() }
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Europe/Moscow")!,
                                                formatOptions: [.withFullDate])
        XCTAssertEqual(try web.harness.run(["away", "anna", "--until", today]).status, 0)
        let line = WebHarness.missedCallNow(from: "89035551234", dial: "PJSIP/101,30", id: "\(Int(Date().timeIntervalSince1970)).902")
        let calls = web.harness.directory.appendingPathComponent("direct.csv")
        try (line + "\n").write(to: calls, atomically: true, encoding: .utf8)
        // A caller nobody knows rings anna's phone alone: hers, were she in.
        XCTAssertEqual(try web.harness.run(["ingest", calls.path]).status, 0)
        func owner() throws -> String? {
            let callback = try XCTUnwrap(try web.harness.json(["pending"]).first { $0.text("number") == "+79035551234" })
            return callback.isNull("manager_id") ? nil : callback.text("manager_id")
        }
        XCTAssertNil(try owner(), "unassigned while anna is away")
        let managers = web.harness.directory.appendingPathComponent("managers.csv")
        let fixture = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/managers.csv"), encoding: .utf8)
        try fixture.replacingOccurrences(of: "anna@office.example", with: "anna.petrova@office.example")
            .write(to: managers, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["import", "managers", managers.path]).status, 0)
        XCTAssertNil(try owner(), "anna changed, but she is away: the callback stays in the queue")

        XCTAssertEqual(try web.harness.run(["away", "anna", "--back"]).status, 0)
        let clients = web.harness.directory.appendingPathComponent("clients.csv")
        try "client_id,name,abc,phones,manager_id\nc9,Gamma Steel,B,89035551234,m2\n".write(to: clients, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["import", "clients", clients.path]).status, 0)
        XCTAssertEqual(try owner(), "m2", "the number is now a client's of boris's")
    }

    /// The head's board marks a manager away and lists their open callbacks to reassign.
    func testTheBoardShowsWhoIsAwayAndTheirCallbacksToReassign() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let annas = try XCTUnwrap(try web.harness.json(["pending"]).first { $0.text("manager_id") == "m1" }?.int("callback_id"))
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: TimeZone(identifier: "Europe/Moscow")!,
                                                formatOptions: [.withFullDate])
        XCTAssertEqual(try web.harness.run(["away", "anna", "--until", today]).status, 0)
        let link = try web.harness.run(["web-link", "helen"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        let board = try web.raw("GET", "/", headers: ["Cookie": try web.signIn(link: link)])
        XCTAssertEqual(board.status, 200)
        XCTAssertTrue(board.text.contains("Anna Petrova <span class=\"abc\">away until \(today)</span>"), board.text)
        let section = try XCTUnwrap(board.text.components(separatedBy: "Callbacks of managers away").dropFirst().first?
            .components(separatedBy: "Unassigned queue").first)
        XCTAssertTrue(section.contains("data-callback-id=\"\(annas)\""), "hers, to reassign")
        XCTAssertTrue(section.contains("value=\"assign\""))
    }

    /// An owner set by hand stays when the directory is imported again (SPEC §9.2); the
    /// others follow the directory.
    func testAnOwnerSetByHandStaysWhenTheDirectoryIsImportedAgain() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let pending = try web.harness.json(["pending"])
        let annas = try XCTUnwrap(pending.first { $0.text("manager_id") == "m1" }?.int("callback_id"))
        XCTAssertEqual(try web.harness.run(["assign", "\(annas)", "--manager", "m2"]).status, 0)
        for kind in ["managers", "clients"] {
            let file = RingbackHarness.fixtures.appendingPathComponent("directory/\(kind).csv").path
            XCTAssertEqual(try web.harness.run(["import", kind, file]).status, 0)
        }
        let after = try web.harness.json(["pending"])
        XCTAssertEqual(after.first { $0.int("callback_id") == annas }?.text("manager_id"), "m2", "set by hand: it stays")
        XCTAssertEqual(after.filter { $0.int("callback_id") != annas }.map { $0.text("manager_id") ?? "-" },
                       pending.filter { $0.int("callback_id") != annas }.map { $0.text("manager_id") ?? "-" },
                       "the others follow the directory, as before")
    }

    /// A number two clients of different managers share is nobody's to ring first.
    func testANumberOfTwoClientsOfDifferentManagersRingsNobodyFirst() throws {
        let web = try WebHarness()
        defer { web.remove() }
        try web.start()
        XCTAssertEqual(try web.raw("GET", "/api/v1/route?number=89162223344&format=text").text, "102", "Beta's, boris's")
        let shared = web.harness.directory.appendingPathComponent("more-clients.csv")
        try "client_id,name,abc,phones,manager_id\nc5,Beta's sister firm,B,89162223344,m1\n".write(to: shared, atomically: true, encoding: .utf8)
        XCTAssertEqual(try web.harness.run(["import", "clients", shared.path]).status, 0)
        XCTAssertEqual(try web.raw("GET", "/api/v1/route?number=89162223344&format=text").text, "", "two clients, two managers")
        let answer = try web.raw("GET", "/api/v1/route?number=89162223344").object
        XCTAssertTrue(answer["reason"] is NSNull)
    }

    /// Through the trusted proxy the route is no loopback question: it needs a key.
    func testThroughTheProxyTheRouteNeedsAKey() throws {
        let web = try WebHarness(loading: "three-misses", web: "trusted_proxy = \"127.0.0.1\"")
        defer { web.remove() }
        let key = try web.key("pbx", scope: "read")
        try web.start()
        XCTAssertEqual(try web.raw("GET", "/api/v1/route?number=89162223344").status, 401)
        let keyed = try web.raw("GET", "/api/v1/route?number=89162223344", headers: ["Authorization": "Bearer \(key)"])
        XCTAssertEqual(keyed.status, 200, keyed.text)
    }

    /// SPEC §10: Kazan's PBX asks with `office=kzn` and is answered only an extension of the
    /// owner's there; the report API is per office or for all, and refuses an office unknown.
    func testThePBXOfAnOfficeIsAnsweredItsOwnExtensionOfTheOwner() throws {
        let web = try WebHarness(loading: "voicemail")
        defer { web.remove() }
        try web.start()
        let key = try web.key("admin", scope: "write")
        func route(_ query: String) throws -> Any? {
            try web.raw("GET", "/api/v1/route?number=89162223344\(query)").object["extension"]
        }
        XCTAssertEqual(try route("") as? String, "102", "the web desk's own office (unnamed): the bare extension")
        XCTAssertTrue(try route("&office=kzn") is NSNull, "boris has no phone in Kazan")
        let moved = try web.request("PUT", "/api/v1/managers/m2", key: key, json: """
            {"name": "Boris Ivanov", "extensions": ["102", "kzn:202"], "login": "boris", "email": "boris@office.example",
             "role": "manager"}
            """)
        XCTAssertEqual(moved.status, 200, moved.text)
        XCTAssertEqual(try route("&office=kzn") as? String, "202")
        XCTAssertEqual(try route("") as? String, "102")

        let all = try web.request("GET", "/api/v1/report?day=2026-03-10", key: key)
        XCTAssertEqual(all.status, 200, all.text)
        XCTAssertTrue(all.objects.first?["office"] is NSNull, all.text)
        let unknown = try web.request("GET", "/api/v1/report?day=2026-03-10&office=kzn", key: key)
        XCTAssertEqual(unknown.status / 100, 4, unknown.text)
        XCTAssertTrue(unknown.text.contains("no office is named"), unknown.text)
    }
}
