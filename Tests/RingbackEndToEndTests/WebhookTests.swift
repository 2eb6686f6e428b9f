import Foundation
import XCTest

/// Outgoing webhooks end to end (SPEC §8.6): a real `ringback-web` POSTs what the CLI and
/// the ingest filed to a real receiver on loopback, which checks every signature the way the
/// README tells a CRM to.
final class WebhookTests: XCTestCase {
    /// `scripts/webhook-receiver.py` on a free port, answering `statuses` in turn, then 200.
    final class Receiver {
        let directory: URL
        let secretFile: URL
        let log: URL
        let process = Process()
        let port: Int

        init(statuses: [Int] = []) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-receiver-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            secretFile = directory.appendingPathComponent("webhook.secret")
            try "whsec-\(UUID().uuidString)\n".write(to: secretFile, atomically: true, encoding: .utf8)
            log = directory.appendingPathComponent("requests.jsonl")
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", RingbackHarness.repository.appendingPathComponent("scripts/webhook-receiver.py").path,
                                 secretFile.path, log.path, "0"] + statuses.map(String.init)
            try process.run()
            let portFile = log.path + ".port"
            let deadline = Date().addingTimeInterval(30)
            var found: Int?
            while found == nil, Date() < deadline, process.isRunning {
                found = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0) }
                if found == nil { Thread.sleep(forTimeInterval: 0.02) }
            }
            port = try XCTUnwrap(found, "the receiver did not start")
        }

        /// Every request so far: `valid` (the signature), `status` answered, `body` parsed.
        var requests: [(valid: Bool, status: Int, body: [String: Any])] {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { line in
                guard let entry = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let body = (entry["body"] as? String).flatMap({ try? JSONSerialization.jsonObject(with: Data($0.utf8)) })
                else { return nil }
                return (entry["valid"] as? Bool ?? false, entry.int("status") ?? 0, body as? [String: Any] ?? [:])
            }
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// A missed call of client c1's number that ended a few seconds ago, as cdr_csv writes it.
    private func freshMissedCall(in directory: URL) throws -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Moscow")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let start = formatter.string(from: Date().addingTimeInterval(-40))
        let end = formatter.string(from: Date().addingTimeInterval(-20))
        let id = "\(Int(Date().timeIntervalSince1970)).77"
        let file = directory.appendingPathComponent("fresh.csv")
        try """
            "","89161234567","74951112233","from-trunk",""\"\"\" <89161234567>","PJSIP/trunk-00000901","PJSIP/101-00000902","Dial","PJSIP/101,30","\(start)",,"\(end)",20,0,"NO ANSWER","DOCUMENTATION","\(id)","","","\(id)",0

            """.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func testEventsArriveSignedInOrderRetriedUnderOneIdAndCounted() throws {
        let receiver = try Receiver(statuses: [500, 503])
        defer { receiver.stop() }
        let web = try WebHarness(loading: "ring-group-nobody-answers", configuration: """

            [[webhook]]
            url = "http://127.0.0.1:\(receiver.port)/hooks/ringback?tenant=office-1"
            secret_file = "\(receiver.secretFile.path)"

            """)
        defer { web.remove() }
        XCTAssertEqual(try web.harness.sqlite("SELECT DISTINCT state FROM webhook_outbox"), "skipped",
                       "the fixture's March is a backfill: filed, never sent")
        let skipped = Int(try web.harness.sqlite("SELECT count(*) FROM webhook_outbox")) ?? 0
        XCTAssertGreaterThan(skipped, 0)

        let ingest = try web.harness.run(["ingest", try freshMissedCall(in: web.harness.directory)])
        XCTAssertEqual(ingest.status, 0, ingest.stderr)
        let open = try web.harness.json(["pending"]).first { $0.text("number") == "+79161234567" }
        let callbackID = try XCTUnwrap(open?.int("callback_id"))
        let resolve = try web.harness.run(["resolve", "\(callbackID)", "--reason", "called from a mobile"])
        XCTAssertEqual(resolve.status, 0, resolve.stderr)

        try web.start()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, receiver.requests.filter({ $0.status == 200 }).count < 3 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let requests = receiver.requests
        XCTAssertTrue(requests.allSatisfy(\.valid), "every attempt is signed anew with the secret: \(requests)")
        XCTAssertEqual(requests.map(\.status), [500, 503, 200, 200, 200])
        XCTAssertEqual(requests.map { $0.body.text("event") ?? "" },
                       ["callback.opened", "callback.opened", "callback.opened", "alert.raised", "callback.resolved"],
                       "in order per callback: the retried opening holds back what follows it")
        XCTAssertEqual(Set(requests.prefix(3).compactMap { $0.body.text("id") }).count, 1, "a retry keeps the event's id")
        XCTAssertEqual(Set(requests.compactMap { $0.body.text("id") }).count, 3)

        let opened = try XCTUnwrap(requests[2].body["data"] as? [String: Any])
        XCTAssertEqual(opened.int("callback_id"), callbackID)
        XCTAssertEqual(opened.text("state"), "open", "the callback as it was when it opened")
        XCTAssertEqual(opened.text("client_id"), "c1")
        XCTAssertEqual(opened.int("missed_count"), 1)
        XCTAssertTrue(opened.isNull("resolved_at"))
        let alert = try XCTUnwrap(requests[3].body["data"] as? [String: Any])
        XCTAssertEqual(alert.text("kind"), "missed_call")
        XCTAssertEqual(alert.int("callback_id"), callbackID)
        let resolved = try XCTUnwrap(requests[4].body["data"] as? [String: Any])
        XCTAssertEqual(resolved.text("state"), "closed")
        XCTAssertEqual(resolved.text("resolved_by"), String(cString: getpwuid(geteuid()).pointee.pw_name),
                       "the CLI's change, credited to whoever ran it")
        XCTAssertNotNil(resolved["late"] as? Bool)
        XCTAssertTrue((requests[4].body.text("at") ?? "").hasSuffix("+03:00"), "times carry the calendar zone's offset")

        // Counted where monitoring looks.
        let metrics = try web.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains("ringback_webhook_deliveries_total{outcome=\"delivered\"} 3"), metrics)
        XCTAssertTrue(metrics.contains("ringback_webhook_deliveries_total{outcome=\"skipped\"} \(skipped)"), metrics)
        let status = try web.harness.run(["status"])
        XCTAssertTrue(status.stdout.contains("webhooks: 3 delivered, 0 waiting, 0 given up, \(skipped) too old to send"),
                      status.stdout)
        XCTAssertFalse(web.log.contains("tenant=office-1"), "a webhook's query may hold a CRM's token: never logged")
        XCTAssertFalse(web.log.contains(try String(contentsOf: receiver.secretFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func testAWebhookWhoseNameLeadsToAMetadataAddressIsNotSentTo() throws {
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-secret-\(UUID().uuidString)")
        try "a-secret-of-sixteen-bytes-or-more".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        // 2852039166 is 169.254.169.254 written as one number: no literal the configuration
        // can see, but the resolver's answer is checked too.
        let web = try WebHarness(loading: "ring-group-nobody-answers", configuration: """

            [[webhook]]
            url = "https://2852039166/latest/meta-data"
            secret_file = "\(secret.path)"
            events = ["callback.assigned"]

            """)
        defer { web.remove() }
        let callbackID = try XCTUnwrap(try web.harness.json(["pending"]).first?.int("callback_id"))
        let assign = try web.harness.run(["assign", "\(callbackID)", "--manager", "m2"])
        XCTAssertEqual(assign.status, 0, assign.stderr)
        try web.start()
        let deadline = Date().addingTimeInterval(30)
        var error = ""
        while Date() < deadline, !error.contains("169.254.169.254") {
            error = (try? web.harness.sqlite("SELECT coalesce(last_error, '') FROM webhook_outbox")) ?? ""
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(error.contains("resolves to 169.254.169.254") && error.contains("link-local"), error)
    }
}
