import Foundation
import RingbackCore
import RingbackStore
import RingbackTestSupport
import Synchronization
import XCTest

/// `ringbackd` with a `kind = "ami"` source against a scripted AMI peer.
/// A scripted AMI peer and a daemon connected to it, for the tests and the benchmark.
enum AMIFixture {
    /// Events the test hands to the peer, which sends them on the live connection.
    final class Outbox: Sendable {
        private let queue = Mutex<[String]>([])
        let secretsSeen = Mutex<[String]>([])
        func push(_ text: String) { queue.withLock { $0.append(text) } }
        func take() -> [String] { queue.withLock { let all = $0; $0.removeAll(); return all } }
    }

    static func peer(_ outbox: Outbox, refuse: Bool = false) throws -> ScriptedAMIPeer {
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

    /// `extra` may describe the link itself (`[originate] host = …`): then `source` is false.
    static func daemon(port: Int, extra: String = "", source: Bool = true) throws -> DaemonHarness {
        let daemon = try DaemonHarness(sections: (source ? """
            [[source]]
            kind = "ami"
            name = "pbx-ami"
            host = "127.0.0.1"
            port = \(port)
            username = "ringback"
            secret_file = "/etc/ringback/ami.secret"

            """ : "") + extra)
        // The secret comes as a systemd credential (LoadCredential=ami.secret:…).
        let credentials = daemon.harness.directory.appendingPathComponent("credentials")
        try FileManager.default.createDirectory(at: credentials, withIntermediateDirectories: true)
        try "Sup3r-Secret\n".write(to: credentials.appendingPathComponent("ami.secret"), atomically: true, encoding: .utf8)
        daemon.environment["CREDENTIALS_DIRECTORY"] = credentials.path
        daemon.logFile = daemon.harness.directory.appendingPathComponent("ringbackd.log")
        return daemon
    }

    static func event(_ uniqueID: String, number: String, startedSecondsAgo: Double) -> String {
        Self.event(uniqueID, number: number, start: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - startedSecondsAgo).rounded()))
    }

    /// A peer and a daemon with the directory loaded, once the daemon says it is connected.
    /// The caller stops the peer and removes the daemon.
    static func connected(_ outbox: Outbox) throws -> (ScriptedAMIPeer, DaemonHarness) {
        let peer = try peer(outbox)
        let daemon = try daemon(port: peer.port)
        try daemon.harness.load()
        try daemon.start()
        try daemon.wait(seconds: 20) {
            daemon.harness.poll(["status"]).contains { $0.text("state") == "connected" }
        }
        return (peer, daemon)
    }

    static func event(_ uniqueID: String, number: String, start: Date) -> String {
        AMIText.missedCall(uniqueID: uniqueID, number: number, start: DaemonHarness.moscowTime(start),
                                  end: DaemonHarness.moscowTime(start.addingTimeInterval(20)))
    }
}

final class AMIDaemonTests: XCTestCase {
    func testLiveCdrEventBecomesACallbackAndTheSameCDRFromCSVIsStoredOnce() throws {
        let outbox = AMIFixture.Outbox()
        let (ami, daemon) = try AMIFixture.connected(outbox)
        defer { ami.stop(); daemon.remove() }
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 60).rounded())
        outbox.push(AMIFixture.event("1773200001.7", number: "89035557777", start: start))
        try daemon.wait(seconds: 20) {
            daemon.harness.poll(["pending"]).contains { $0.text("number") == "+79035557777" }
        }
        // The PBX also writes the CDR to Master.csv: read, recognised, not stored again.
        let row = DaemonHarness.missedCallRow(start: start, number: "89035557777", uniqueID: "1773200001.7")
        try daemon.append([row.row][...], to: daemon.masterCSV)
        // The spool's status row is written by the commit of the batch that read the row.
        try daemon.wait(seconds: 20) { (daemon.harness.poll(["status"]).first { $0.text("kind") == "spool" }) != nil }
        XCTAssertEqual(try daemon.storedRows(), 1)
        XCTAssertEqual(try daemon.harness.json(["missed"]).filter { $0.text("number") == "+79035557777" }.count, 1)
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(outbox.secretsSeen.withLock { $0.first }, "Sup3r-Secret", "read from $CREDENTIALS_DIRECTORY")
        let log = try String(contentsOf: daemon.logFile!, encoding: .utf8)
        XCTAssertTrue(log.contains("AMI connected"), log)
        XCTAssertFalse(log.contains("Sup3r-Secret"))
    }

    /// A Master.csv whose backlog fills the first read exactly (more than 128 KiB, less than
    /// a chunk) must not leave the pipeline waiting for more of it: a live call from the AMI
    /// link afterwards is judged at once.
    func testABacklogReadInOneExactChunkHoldsNoLaterCall() throws {
        let outbox = AMIFixture.Outbox()
        let peer = try AMIFixture.peer(outbox)
        defer { peer.stop() }
        let daemon = try AMIFixture.daemon(port: peer.port)
        defer { daemon.remove() }
        let backlog = try DaemonHarness.generatedRows(1500).joined(separator: "\n") + "\n"
        XCTAssertTrue((128 << 10 ... 1 << 20).contains(backlog.utf8.count), "\(backlog.utf8.count) bytes")
        try backlog.write(to: daemon.masterCSV, atomically: true, encoding: .utf8)
        try daemon.harness.load()
        try daemon.start()
        let rows = backlog.split(separator: "\n").count
        try daemon.wait(seconds: 30) {
            let status = daemon.harness.poll(["status"])
            return status.contains { $0.text("state") == "connected" } && status.contains { $0.int("rows") == rows }
        }
        outbox.push(AMIFixture.event("1773200031.7", number: "89035553131", startedSecondsAgo: 60))
        try daemon.wait(seconds: 20) { daemon.harness.poll(["pending"]).contains { $0.text("number") == "+79035553131" } }
        XCTAssertEqual(daemon.stop(), 0)
    }

    func testRefusedLoginShowsInStatusWithoutTheSecret() throws {
        let outbox = AMIFixture.Outbox()
        let ami = try AMIFixture.peer(outbox, refuse: true)
        defer { ami.stop() }
        let daemon = try AMIFixture.daemon(port: ami.port)
        defer { daemon.remove() }
        try daemon.start()
        try daemon.wait(seconds: 20) { try daemon.harness.run(["status"]).status == 3 }
        // Not in the daemon's arguments or environment (what `ps e` would show) either.
        let pid = try XCTUnwrap(daemon.process?.processIdentifier)
        for part in ["cmdline", "environ"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/\(part)"))
            XCTAssertFalse(String(decoding: bytes, as: UTF8.self).contains("Sup3r-Secret"), part)
        }
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

    /// A PBX that refuses the connection: `status` says so in words and in the office's time.
    func testRefusedConnectionIsASentenceInStatus() throws {
        // A port nobody listens on: bound, then closed.
        let port = WebHarness.freePort()

        let daemon = try AMIFixture.daemon(port: port)
        defer { daemon.remove() }
        try daemon.start()
        var error = ""
        try daemon.wait(seconds: 20) {
            let status = try daemon.harness.run(["status", "--format", "json"])
            // Empty until the daemon has created the store: not yet, rather than an error.
            let sources = (try? JSONSerialization.jsonObject(with: Data(status.stdout.utf8))) as? [[String: Any]] ?? []
            error = sources.first { $0.text("kind") == "ami" }?.text("error") ?? ""
            return status.status == 3 && !error.isEmpty
        }
        let pattern = #"^connection refused by 127\.0\.0\.1:\#(port); retrying since [0-2][0-9]:[0-5][0-9]:[0-5][0-9], next attempt in ([0-9]+ s|less than a second)$"#
        XCTAssertNotNil(error.range(of: pattern, options: .regularExpression), error)
        XCTAssertEqual(daemon.stop(), 0)
    }
}
