import Foundation
import RingbackCore
import RingbackStore
import RingbackTestSupport
import Synchronization
import XCTest

/// `ringbackd` with a `kind = "ami"` source against a scripted AMI peer.
final class AMIDaemonTests: XCTestCase {
    /// Events the test hands to the peer, which sends them on the live connection.
    final class Outbox: Sendable {
        private let queue = Mutex<[String]>([])
        let secretsSeen = Mutex<[String]>([])
        func push(_ text: String) { queue.withLock { $0.append(text) } }
        func take() -> [String] { queue.withLock { let all = $0; $0.removeAll(); return all } }
    }

    private func peer(_ outbox: Outbox, refuse: Bool = false) throws -> ScriptedAMIPeer {
        try ScriptedAMIPeer { _, connection in
            connection.send(AMIText.banner)
            let login = connection.readMessage() ?? [:]
            outbox.secretsSeen.withLock { $0.append(login["Secret"] ?? "") }
            if refuse {
                connection.send("Response: Error\r\nActionID: ringback-login\r\nMessage: Authentication failed\r\n\r\n")
                return
            }
            connection.send(AMIText.loginAccepted)
            let until = Date().addingTimeInterval(120)
            while Date() < until {
                let events = outbox.take()
                if events.isEmpty { Thread.sleep(forTimeInterval: 0.001); continue }
                for event in events { connection.send(event) }
            }
        }
    }

    private func daemon(port: Int) throws -> DaemonHarness {
        let daemon = try DaemonHarness(sections: """
            [[source]]
            kind = "ami"
            name = "pbx-ami"
            host = "127.0.0.1"
            port = \(port)
            username = "ringback"
            secret_file = "/etc/ringback/ami.secret"
            """)
        // The secret comes as a systemd credential (LoadCredential=ami.secret:…).
        let credentials = daemon.harness.directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try "Sup3r-Secret\n".write(to: credentials.appendingPathComponent("ami.secret"), atomically: true, encoding: .utf8)
        daemon.environment["CREDENTIALS_DIRECTORY"] = credentials.path
        daemon.logFile = daemon.harness.directory.appendingPathComponent("ringbackd.log")
        return daemon
    }

    private func event(_ uniqueID: String, number: String, startedSecondsAgo: Double) -> String {
        event(uniqueID, number: number, start: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - startedSecondsAgo).rounded()))
    }

    private func event(_ uniqueID: String, number: String, start: Date) -> String {
        AMIText.missedCall(uniqueID: uniqueID, number: number, start: DaemonHarness.moscowTime(start),
                                  end: DaemonHarness.moscowTime(start.addingTimeInterval(20)))
    }

    func testLiveCdrEventBecomesACallbackAndTheSameCDRFromCSVIsStoredOnce() throws {
        let outbox = Outbox()
        let ami = try peer(outbox)
        defer { ami.stop() }
        let daemon = try daemon(port: ami.port)
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        try daemon.wait(seconds: 20) {
            try daemon.harness.json(["status"]).contains { $0.text("state") == "connected" }
        }
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 60).rounded())
        outbox.push(event("1773200001.7", number: "89035557777", start: start))
        try daemon.wait(seconds: 20) {
            try daemon.harness.json(["pending"]).contains { $0.text("number") == "+79035557777" }
        }
        // The PBX also writes the CDR to Master.csv: read, recognised, not stored again.
        let row = DaemonHarness.missedCallRow(start: start, number: "89035557777", uniqueID: "1773200001.7")
        try daemon.append([row.row][...], to: daemon.masterCSV)
        try daemon.wait(seconds: 20) { (try daemon.harness.json(["status"]).first { $0.text("kind") == "spool" }) != nil }
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertEqual(try daemon.storedRows(), 1)
        XCTAssertEqual(try daemon.harness.json(["missed"]).filter { $0.text("number") == "+79035557777" }.count, 1)
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(outbox.secretsSeen.withLock { $0.first }, "Sup3r-Secret", "read from $CREDENTIALS_DIRECTORY")
        let log = try String(contentsOf: daemon.logFile!, encoding: .utf8)
        XCTAssertTrue(log.contains("AMI connected"), log)
        XCTAssertFalse(log.contains("Sup3r-Secret"))
    }

    func testRefusedLoginShowsInStatusWithoutTheSecret() throws {
        let outbox = Outbox()
        let ami = try peer(outbox, refuse: true)
        defer { ami.stop() }
        let daemon = try daemon(port: ami.port)
        defer { daemon.remove() }
        try daemon.start()
        try daemon.wait(seconds: 20) { try daemon.harness.run(["status"]).status == 3 }
        let status = try daemon.harness.run(["status", "--format", "json"])
        XCTAssertTrue(status.stdout.contains("\"state\": \"login refused\""), status.stdout)
        XCTAssertTrue(status.stdout.contains("Authentication failed"), status.stdout)
        XCTAssertTrue(status.stdout.contains("retrying since"), status.stdout)
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(ami.connections.count, 1, "a refusal waits 15 s or more before the next try")
        for text in [status.stdout, status.stderr, try String(contentsOf: daemon.logFile!, encoding: .utf8)] {
            XCTAssertFalse(text.contains("Sup3r-Secret"))
        }
    }

    /// Latency from a `Cdr` event sent by the peer to its callback in the store's pending
    /// list, over many events: a benchmark, run by `scripts/bench-ami-latency.sh` (it sets
    /// RINGBACK_BENCH_AMI to the number of events), skipped otherwise.
    func testBenchmarkLatencyFromCdrEventToPending() throws {
        guard let count = ProcessInfo.processInfo.environment["RINGBACK_BENCH_AMI"].flatMap(Int.init) else {
            throw XCTSkip("benchmark: set RINGBACK_BENCH_AMI=1000")
        }
        let outbox = Outbox()
        let ami = try peer(outbox)
        defer { ami.stop() }
        let daemon = try daemon(port: ami.port)
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        try daemon.wait(seconds: 20) {
            try daemon.harness.json(["status"]).contains { $0.text("state") == "connected" }
        }
        let store = try Store(path: daemon.harness.db)
        var latencies: [Double] = []
        for index in 0..<count {
            let number = "8903\(String(format: "%07d", index))"
            let normalized = "+7903\(String(format: "%07d", index))"
            let sent = ContinuousClock.now
            outbox.push(event("17733\(String(format: "%05d", index)).1", number: number, startedSecondsAgo: 30))
            while true {
                let now = Int64(Date().timeIntervalSince1970)
                if try store.pending(at: now, managerID: nil, overdueOnly: false).contains(where: { $0.number == normalized }) { break }
                guard ContinuousClock.now - sent < .seconds(10) else { XCTFail("event \(index) not seen"); return }
                Thread.sleep(forTimeInterval: 0.001)
            }
            let elapsed = ContinuousClock.now - sent
            latencies.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        XCTAssertEqual(daemon.stop(), 0)
        let sorted = latencies.sorted()
        func rank(_ p: Double) -> Double { sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        print(String(format: "AMI latency over %d events: p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                     count, rank(0.5), rank(0.99), sorted.last ?? 0))
    }
}
