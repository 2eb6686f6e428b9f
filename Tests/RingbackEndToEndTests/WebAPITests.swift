import Foundation
import XCTest

/// `ringback-web`'s API (SPEC §8.4) against a real server on a real store: the CLI's JSON
/// field for field, keys and scopes, refusals with their status and a sentence, paging, and
/// every answer as `openapi.yaml` describes it.
final class WebAPITests: XCTestCase {
    private var web: WebHarness!
    /// Every answer of a test, for the document check at its end.
    private var answers: [(method: String, template: String, answer: WebHarness.Answer)] = []
    private let at = "at=2026-03-10T12:00:00%2B03:00"

    override func setUpWithError() throws {
        web = try WebHarness(loading: "three-misses", "callback-after-due", "answered-for-contact", "unknown-number-direct")
    }

    override func tearDown() { web.remove() }

    @discardableResult
    private func call(_ method: String, _ path: String, template: String? = nil, key: String?, json: String? = nil)
        throws -> WebHarness.Answer {
        let answer = try json.map { try web.request(method, path, key: key, json: $0) } ?? web.request(method, path, key: key)
        let plain = String(path.dropFirst("/api/v1".count).split(separator: "?").first ?? "")
        answers.append((method.lowercased(), template ?? plain, answer))
        return answer
    }

    func testListingsAreTheCLIsJSONFieldForField() throws {
        let key = try web.key("monitoring", scope: "read")
        try web.start()
        let cases: [(path: String, cli: [String])] = [
            ("/api/v1/callbacks?\(at)", ["pending", "--at", "2026-03-10 12:00"]),
            ("/api/v1/callbacks?overdue=true&\(at)", ["pending", "--overdue", "--at", "2026-03-10 12:00"]),
            ("/api/v1/missed?since=2026-03-10&until=2026-03-11&\(at)",
             ["missed", "--since", "2026-03-10", "--until", "2026-03-11", "--at", "2026-03-10 12:00"]),
            ("/api/v1/alerts?\(at)", ["alerts", "--at", "2026-03-10 12:00"]),
            ("/api/v1/alerts?kind=callback_overdue&state=open&\(at)",
             ["alerts", "--kind", "callback_overdue", "--state", "open", "--at", "2026-03-10 12:00"]),
        ]
        for (path, cli) in cases {
            let answer = try call("GET", path, key: key)
            XCTAssertEqual(answer.status, 200, "\(path): \(answer.text)")
            let expected = try web.harness.json(cli)
            XCTAssertFalse(expected.isEmpty, "\(cli): the fixtures give something to compare")
            XCTAssertEqual(answer.objects as NSArray, expected as NSArray, path)
        }
        let report = try call("GET", "/api/v1/report?day=2026-03-10&\(at)", key: key)
        XCTAssertEqual(report.status, 200, report.text)
        let cliReport = try web.harness.run(["report", "--day", "2026-03-10", "--format", "json", "--at", "2026-03-10 12:00"])
        let cliJSON = try JSONSerialization.jsonObject(with: Data(cliReport.stdout.utf8))
        XCTAssertEqual(report.json as? NSArray, cliJSON as? NSArray, "the report of the CLI, byte for byte in meaning")
        try checkAgainstTheDocument()
    }

    func testKeysAndScopes() throws {
        let read = try web.key("monitoring", scope: "read")
        let contacts = try web.key("crm", scope: "contacts")
        let write = try web.key("desk", scope: "write")
        let revoked = try web.key("old", scope: "write")
        XCTAssertEqual(try web.harness.run(["api-key", "revoke", "old"]).status, 0)
        try web.start()
        XCTAssertEqual(try call("GET", "/api/v1/callbacks", key: nil).status, 401)
        XCTAssertEqual(try call("GET", "/api/v1/callbacks", key: "rbk_made_up").status, 401)
        let gone = try call("GET", "/api/v1/callbacks", key: revoked)
        XCTAssertEqual(gone.status, 401)
        XCTAssertEqual(gone.object["error"] as? String, "this API key is unknown or revoked")
        XCTAssertEqual(try call("GET", "/api/v1/callbacks", key: contacts).status, 403, "a CRM key reads no callbacks")
        let readOnly = try call("POST", "/api/v1/callbacks/1/resolve", template: "/callbacks/{id}/resolve", key: read,
                                json: #"{"reason": "spam"}"#)
        XCTAssertEqual(readOnly.status, 403)
        XCTAssertTrue((readOnly.object["error"] as? String)?.contains("needs write") == true, readOnly.text)
        XCTAssertEqual(try call("GET", "/api/v1/callbacks", key: write).status, 200, "write holds every scope")
        let wrongMethod = try web.request("DELETE", "/api/v1/callbacks", key: write)
        XCTAssertEqual(wrongMethod.status, 405, "the path exists: another method is not 404")
        XCTAssertEqual(wrongMethod.headers["allow"], "GET")
        XCTAssertEqual(try web.request("GET", "/api/v1/nothing", key: write).status, 404)
        // The keys never reach the log, not even a refused one.
        XCTAssertEqual(web.stop(), 0)
        for secret in [read, contacts, write, revoked] { XCTAssertFalse(web.log.contains(secret), web.log) }
        XCTAssertFalse(web.log.contains("rbk_made_up"))
        try checkAgainstTheDocument()
    }

    func testWritesAnswerTheChangedObjectAndRefuseWithAReason() throws {
        let key = try web.key("desk", scope: "write")
        try web.start()
        let open = try call("GET", "/api/v1/callbacks", key: key).objects
        let id = try XCTUnwrap(open.first?["callback_id"] as? Int)
        let resolve = "/callbacks/{id}/resolve"
        let done = try call("POST", "/api/v1/callbacks/\(id)/resolve", template: resolve, key: key, json: #"{"reason": "spam"}"#)
        XCTAssertEqual(done.status, 200, done.text)
        XCTAssertEqual(done.object["callback_id"] as? Int, id)
        XCTAssertEqual(done.object["state"] as? String, "closed")
        XCTAssertEqual(done.object["resolved_by"] as? String, "key:desk", "a write by key is recorded as key:NAME")
        XCTAssertNotNil(done.object["late"] as? Bool)
        XCTAssertFalse(try web.harness.json(["pending"]).contains { $0["callback_id"] as? Int == id }, "the CLI sees it closed")

        let cases: [(path: String, template: String, body: String, status: Int, error: String, field: String?)] = [
            ("/api/v1/callbacks/\(id)/resolve", resolve, #"{"reason": "spam"}"#, 409, "is no longer open", nil),
            ("/api/v1/callbacks/999/resolve", resolve, #"{"reason": "spam"}"#, 404, "no callback 999", nil),
            ("/api/v1/callbacks/\(id)/resolve", resolve, #"{"reason": 7}"#, 400, "reason must be a string", "reason"),
            ("/api/v1/callbacks/\(id)/resolve", resolve, #"{"reason": "x", "why": 1}"#, 400, "unknown field why", "why"),
            ("/api/v1/callbacks/\(id)/resolve", resolve, #"{"reason": "#, 400, "not JSON", nil),
            ("/api/v1/callbacks/\(id)/resolve", resolve, #"["spam"]"#, 400, "must be a JSON object", nil),
            ("/api/v1/callbacks/\(id)/resolve", resolve, #"{}"#, 400, "reason is required", "reason"),
            ("/api/v1/callbacks/\(id)/assign", "/callbacks/{id}/assign", #"{"manager_id": "m1"}"#, 409, "is no longer open", nil),
            ("/api/v1/alerts/999/ack", "/alerts/{id}/ack", "", 404, "no alert 999", nil),
        ]
        for item in cases {
            let answer = try call("POST", item.path, template: item.template, key: key, json: item.body)
            XCTAssertEqual(answer.status, item.status, "\(item.path) \(item.body): \(answer.text)")
            XCTAssertTrue((answer.object["error"] as? String)?.contains(item.error) == true, "\(item.body): \(answer.text)")
            XCTAssertEqual(answer.object["field"] as? String, item.field, item.body)
            XCTAssertFalse(answer.text.contains("SELECT") || answer.text.contains("/tmp/"), answer.text)
        }
        let other = try XCTUnwrap(try call("GET", "/api/v1/callbacks", key: key).objects.first?["callback_id"] as? Int)
        let unknown = try call("POST", "/api/v1/callbacks/\(other)/assign", template: "/callbacks/{id}/assign", key: key,
                               json: #"{"manager_id": "nobody"}"#)
        XCTAssertEqual(unknown.status, 422, unknown.text)
        XCTAssertEqual(unknown.object["field"] as? String, "manager_id")
        let assigned = try call("POST", "/api/v1/callbacks/\(other)/assign", template: "/callbacks/{id}/assign", key: key,
                                json: #"{"manager_id": "m2"}"#)
        XCTAssertEqual(assigned.object["manager_id"] as? String, "m2", assigned.text)

        let big = Data(repeating: UInt8(ascii: " "), count: 10 << 20)
        let tooLarge = try web.request("POST", "/api/v1/callbacks/\(other)/resolve", key: key, body: big)
        XCTAssertEqual(tooLarge.status, 413)
        let badTime = try call("GET", "/api/v1/callbacks?at=yesterday", key: key)
        XCTAssertEqual(badTime.status, 422)
        XCTAssertEqual(badTime.object["field"] as? String, "at")
        let alert = try XCTUnwrap(try call("GET", "/api/v1/alerts", key: key).objects.first?["alert_id"] as? Int)
        let acknowledged = try call("POST", "/api/v1/alerts/\(alert)/ack", template: "/alerts/{id}/ack", key: key)
        XCTAssertEqual(acknowledged.status, 200, acknowledged.text)
        XCTAssertEqual(acknowledged.object["alert_id"] as? Int, alert)
        XCTAssertEqual(web.stop(), 0)
        try checkAgainstTheDocument()
    }

    /// A CRM pushes contacts: one object or an array, stored by contact_id, and a contact in
    /// time resolves its no_contact alert at once; one bad element stores none of them.
    func testContactsFromACRMAreAllOrNothing() throws {
        let crm = try web.key("crm", scope: "contacts")
        try web.start()
        func noContact() throws -> [[String: Any]] { try web.harness.json(["alerts", "--kind", "no_contact"]) }
        XCTAssertEqual(try noContact().first?["state"] as? String, "open")
        let contactsBefore = try web.harness.sqlite("SELECT count(*) FROM contacts")

        let bad = #"""
            [{"contact_id": "k1", "created_at": "2026-03-10T10:30:00+03:00", "client_id": "c1", "kind": "call"},
             {"contact_id": "k2", "created_at": "after lunch", "client_id": "c1"}]
            """#
        let refused = try call("POST", "/api/v1/contacts", key: crm, json: bad)
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(refused.object["field"] as? String, "[1].created_at")
        XCTAssertEqual(try web.harness.sqlite("SELECT count(*) FROM contacts"), contactsBefore, "nothing stored")
        XCTAssertEqual(try noContact().first?["state"] as? String, "open")
        let unknown = try call("POST", "/api/v1/contacts", key: crm, json: #"[{"contact_id": "k3", "colour": "red"}]"#)
        XCTAssertEqual(unknown.status, 400, unknown.text)
        XCTAssertEqual(unknown.object["field"] as? String, "[0].colour")
        let nobody = try call("POST", "/api/v1/contacts", key: crm, json: #"{"contact_id": "k4", "created_at": "2026-03-10 10:40"}"#)
        XCTAssertEqual(nobody.status, 422, nobody.text)

        let good = #"{"contact_id": "k1", "created_at": "2026-03-10T10:30:00+03:00", "manager_id": "m1", "client_id": "c1", "kind": "call", "note": "<b>March</b> order"}"#
        let stored = try call("POST", "/api/v1/contacts", key: crm, json: good)
        XCTAssertEqual(stored.status, 200, stored.text)
        XCTAssertEqual(stored.object["contact_id"] as? String, "k1", "the contact as sent")
        let alert = try XCTUnwrap(try noContact().first)
        XCTAssertEqual(alert["state"] as? String, "resolved")
        XCTAssertEqual(alert["resolution"] as? String, "contact_found")
        // The same contact again is the same contact.
        XCTAssertEqual(try call("POST", "/api/v1/contacts", key: crm, json: "[\(good)]").status, 200)
        XCTAssertEqual(try web.harness.sqlite("SELECT count(*) FROM contacts WHERE contact_id = 'k1'"), "1")
        try checkAgainstTheDocument()
    }

    /// The CRM keeps clients in sync; a manager is the head's business, never a CRM key's.
    func testClientsFromTheCRMAndManagersOnlyWithAWriteKey() throws {
        let crm = try web.key("crm", scope: "contacts")
        let desk = try web.key("desk", scope: "write")
        try web.start()
        // The open callback of +79035550707 has no client yet: a client with that number takes it.
        let client = #"{"name": "Alfa <script>", "abc": "A", "phones": ["8 903 555-07-07"], "manager_id": "m2"}"#
        let put = try call("PUT", "/api/v1/clients/c9", template: "/clients/{client_id}", key: crm, json: client)
        XCTAssertEqual(put.status, 200, put.text)
        XCTAssertEqual(put.object["client_id"] as? String, "c9")
        let owned = try web.harness.json(["pending"]).first { $0["number"] as? String == "+79035550707" }
        XCTAssertEqual(owned?["client_id"] as? String, "c9")
        XCTAssertEqual(owned?["manager_id"] as? String, "m2", "the client's manager owns it now")
        XCTAssertEqual(owned?["abc"] as? String, "A")

        let unknownManager = try call("PUT", "/api/v1/clients/c9", template: "/clients/{client_id}", key: crm,
                                      json: #"{"name": "Alfa", "manager_id": "m9"}"#)
        XCTAssertEqual(unknownManager.status, 422, unknownManager.text)
        XCTAssertEqual(unknownManager.object["field"] as? String, "manager_id")
        let badGroup = try call("PUT", "/api/v1/clients/c9", template: "/clients/{client_id}", key: crm, json: #"{"abc": "D"}"#)
        XCTAssertEqual(badGroup.status, 422)
        XCTAssertEqual(try call("PUT", "/api/v1/clients/c9", template: "/clients/{client_id}", key: crm,
                                json: #"{"phones": "89035550707"}"#).status, 400, "phones is an array")

        let head = #"{"name": "Mallory", "extensions": ["109"], "role": "head"}"#
        let refused = try call("PUT", "/api/v1/managers/m9", template: "/managers/{manager_id}", key: crm, json: head)
        XCTAssertEqual(refused.status, 403, "a CRM key never touches managers")
        XCTAssertFalse(try web.harness.sqlite("SELECT count(*) FROM managers WHERE manager_id = 'm9'") == "1")
        let added = try call("PUT", "/api/v1/managers/m9", template: "/managers/{manager_id}", key: desk,
                             json: #"{"name": "Vera Orlova", "extensions": ["109"], "login": "vera", "email": "vera@office.example", "role": "manager", "mobiles": ["+79160000009"]}"#)
        XCTAssertEqual(added.status, 200, added.text)
        XCTAssertEqual(try web.harness.sqlite("SELECT name FROM managers WHERE manager_id = 'm9'"), "Vera Orlova")
        let away = try call("PUT", "/api/v1/managers/m9", template: "/managers/{manager_id}", key: desk,
                            json: #"{"name": "Vera Orlova", "extensions": ["109"], "away_until": "2026-03-20"}"#)
        XCTAssertEqual(away.status, 200, away.text)
        XCTAssertNotNil(Int(try web.harness.sqlite("SELECT away_until FROM managers WHERE manager_id = 'm9'")))
        let notADate = try call("PUT", "/api/v1/managers/m9", template: "/managers/{manager_id}", key: desk,
                                json: #"{"name": "Vera Orlova", "away_until": "soon"}"#)
        XCTAssertEqual(notADate.status, 422, notADate.text)
        XCTAssertEqual(notADate.object["field"] as? String, "away_until")
        try checkAgainstTheDocument()
    }

    /// Listings are answered from a cache per store snapshot: a change by anyone (the CLI,
    /// the API's own writer) shows in the very next answer.
    func testAnAnswerIsNeverOlderThanTheLastCommit() throws {
        let web = try WebHarness(loading: "three-misses", "voicemail", "unknown-number-direct")
        defer { web.remove() }
        let key = try web.key("desk", scope: "write")
        try web.start()
        func open() throws -> [Int] {
            try web.request("GET", "/api/v1/callbacks", key: key).objects.compactMap { $0.int("callback_id") }
        }
        let before = try open()
        XCTAssertEqual(try open(), before)
        XCTAssertGreaterThan(before.count, 1)
        XCTAssertEqual(try web.harness.run(["resolve", "\(before[0])", "--reason", "by the CLI"]).status, 0)
        XCTAssertEqual(try open(), Array(before.dropFirst()), "another program's commit")
        XCTAssertEqual(try web.request("POST", "/api/v1/callbacks/\(before[1])/resolve", key: key, json: #"{"reason": "by the API"}"#)
            .status, 200)
        XCTAssertEqual(try open(), Array(before.dropFirst(2)), "the server's own write")
    }

    func testListingsPageWithLimitAndAfter() throws {
        let key = try web.key("monitoring", scope: "read")
        try web.start()
        let all = try call("GET", "/api/v1/alerts?\(at)", key: key).objects
        XCTAssertGreaterThan(all.count, 2)
        var seen: [Int] = []
        var next: String? = "/api/v1/alerts?limit=2&\(at)"
        while let path = next {
            let page = try call("GET", path, key: key)
            XCTAssertEqual(page.status, 200, page.text)
            XCTAssertLessThanOrEqual(page.objects.count, 2)
            seen += page.objects.compactMap { $0["alert_id"] as? Int }
            next = page.headers["link"].flatMap { link in
                link.range(of: #"(?<=<)[^>]+(?=>; rel="next")"#, options: .regularExpression).map { String(link[$0]) }
            }
        }
        XCTAssertEqual(seen, all.compactMap { $0["alert_id"] as? Int }, "every alert once, in order")
        XCTAssertEqual(try call("GET", "/api/v1/alerts?limit=0", key: key).status, 422)
        XCTAssertEqual(try call("GET", "/api/v1/alerts?limit=1001", key: key).status, 422)
        XCTAssertEqual(try call("GET", "/api/v1/alerts?colour=red", key: key).status, 400, "an unknown parameter")
        try checkAgainstTheDocument()
    }

    /// `/metrics` (SPEC §8.5): the store's own totals in the Prometheus text format, without
    /// a key from this machine, and `ringback_daemon_up` from the daemon's heartbeat.
    func testMetricsAreTheStoresTotalsAndTheDaemonsHeartbeat() throws {
        let key = try web.key("monitoring", scope: "read")
        try web.start()
        func metrics() throws -> [String: Double] {
            let page = try web.request("GET", "/metrics")
            XCTAssertEqual(page.status, 200, page.text)
            XCTAssertTrue(page.headers["content-type"]?.hasPrefix("text/plain") == true)
            var values: [String: Double] = [:]
            for line in page.text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.split(separator: " ")
                if parts.count == 2, let value = Double(parts[1]) { values[String(parts[0])] = value }
            }
            XCTAssertFalse(page.text.contains(key), "no key in the metrics")
            return values
        }
        let values = try metrics()
        let stored = Double(try web.harness.sqlite("SELECT count(*) FROM legs")) ?? -1
        XCTAssertEqual(values[#"ringback_cdr_rows_total{source="ingest"}"#], stored)
        let missedAlerts = try web.harness.json(["alerts", "--kind", "missed_call"]).count
        XCTAssertEqual(values[#"ringback_alerts_raised_total{kind="missed_call"}"#], Double(missedAlerts))
        let open = try web.harness.json(["pending"])
        let openCounted = values.filter { $0.key.hasPrefix("ringback_callbacks_open{") }.values.reduce(0, +)
        XCTAssertEqual(openCounted, Double(open.count))
        XCTAssertEqual(values["ringback_daemon_up"], 0, "no daemon has run on this store")
        XCTAssertNotNil(values[#"ringback_webhook_deliveries_total{outcome="delivered"}"#])

        // A daemon on the same store: its sweep's heartbeat makes it up.
        let daemon = Process()
        daemon.executableURL = RingbackHarness.products.appendingPathComponent("ringbackd")
        daemon.arguments = ["--config", web.harness.config] + web.harness.storeArguments
        daemon.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try daemon.run()
        defer { daemon.terminate(); daemon.waitUntilExit() }
        let deadline = Date().addingTimeInterval(30)
        var up = 0.0
        while Date() < deadline, up != 1 {
            up = (try? metrics()["ringback_daemon_up"]) ?? 0
            if up != 1 { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertEqual(up, 1)
    }

    func testTheServedDocumentIsTheRepositorysAndHealthSaysOK() throws {
        try web.start()
        let served = try web.request("GET", "/api/v1/openapi.yaml")
        XCTAssertEqual(served.status, 200)
        let file = RingbackHarness.repository.appendingPathComponent("Sources/RingbackWeb/openapi.yaml")
        XCTAssertEqual(served.text, try String(contentsOf: file, encoding: .utf8))
        let health = try web.request("GET", "/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.object["status"] as? String, "ok")
    }

    /// Every answer of the test, checked against `openapi.yaml` by jsonschema.
    private func checkAgainstTheDocument() throws {
        let python = try WebHarness.testTools() + "/python"
        let file = web.harness.directory.appendingPathComponent("answers.jsonl")
        let lines = try answers.map { item -> String in
            let body = item.answer.json ?? NSNull()
            let object: [String: Any] = ["method": item.method, "path": item.template, "status": item.answer.status, "body": body]
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed]), as: UTF8.self)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let document = RingbackHarness.repository.appendingPathComponent("Sources/RingbackWeb/openapi.yaml").path
        let checker = RingbackHarness.repository.appendingPathComponent("scripts/check-openapi.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [checker, document, file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, report)
        XCTAssertTrue(report.contains("\(answers.count) answers valid, 0 not") || report.contains(", 0 not"), report)
    }

    /// The folder of the Python test tools' programs (scripts/install-test-tools.sh).
    /// Schemathesis throws generated requests, valid and not, at every operation: no answer
    /// is a server error, none is outside the document, another method on a path is 405.
    /// Not checked: that every request the document allows is accepted (a time the pattern
    /// admits may still be no date, an `after` no id of the listing); and /call and /route,
    /// which answer 501 until the PBX loop arrives.
    func testSchemathesisFindsNoServerErrorAndNothingOutsideTheDocument() throws {
        let key = try web.key("fuzz", scope: "write")
        try web.start()
        let base = "http://127.0.0.1:\(web.port)/api/v1"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try WebHarness.testTools() + "/st")
        process.arguments = ["run", base + "/openapi.yaml", "--url", base, "-H", "Authorization: Bearer \(key)",
                             "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                             "--exclude-path", "/route", "--exclude-path", "/callbacks/{id}/call",
                             "--max-examples", "30", "--seed", "20261201", "--no-color"]
        var environment = ProcessInfo.processInfo.environment
        environment["SCHEMATHESIS_HOOKS"] = nil
        process.environment = environment
        process.currentDirectoryURL = web.harness.directory
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let report = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, report)
        XCTAssertTrue(report.contains("passed"), report)
        XCTAssertEqual(web.stop(), 0)
        XCTAssertFalse(web.log.contains(key), "the key is in no log")
        XCTAssertFalse(web.log.contains("request failed"), "no error nobody foresaw: \(web.log)")
    }
}
