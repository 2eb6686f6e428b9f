import Foundation
import Logging
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import Synchronization
import XCTest

/// The AMI client against a scripted peer on real TCP: login, events however packets split
/// them, pings, dead links and reconnects with backoff.
final class AMISourceTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("ringback.db").path }

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-ami-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    static let banner = "Asterisk Call Manager/5.0.1\r\n"
    static let accepted = "Response: Success\r\nActionID: ringback-login\r\nMessage: Authentication accepted\r\n\r\n"

    /// An `Event: Cdr` of a missed call, unique by `id`.
    static func cdr(_ id: Int, lineEnd: String = "\r\n") -> String {
        let second = String(format: "%02d", id % 60), minute = String(format: "%02d", (id / 60) % 60)
        let start = "2026-03-10 10:\(minute):\(second)", end = "2026-03-10 11:\(minute):\(second)"
        return ["Event: Cdr", "Privilege: cdr,all", "AccountCode: ", "Source: 8916\(String(format: "%07d", id))",
                "Destination: 74951112233", "DestinationContext: from-trunk", "CallerID: \"\" <8916\(id)>",
                "Channel: PJSIP/trunk-\(String(format: "%08x", id))", "DestinationChannel: PJSIP/101-\(String(format: "%08x", id))",
                "LastApplication: Dial", "LastData: PJSIP/101,30", "StartTime: \(start)", "AnswerTime: ", "EndTime: \(end)",
                "Duration: 3600", "BillableSeconds: 0", "Disposition: NO ANSWER", "AMAFlags: DOCUMENTATION",
                "UniqueID: 1773126000.\(id)", "UserField: ", "LinkedID: 1773126000.\(id)", "Sequence: 0"]
            .joined(separator: lineEnd) + lineEnd + lineEnd
    }

    private func fastPolicy(refusedInitial: Duration = .milliseconds(40)) -> ReconnectPolicy {
        var policy = ReconnectPolicy()
        policy.initial = .milliseconds(2)
        policy.maximum = .milliseconds(20)
        policy.refusedInitial = refusedInitial
        policy.refusedMaximum = .seconds(5)
        policy.jitter = { 1 }
        return policy
    }

    /// Runs an AMI source against `peer` while `body` runs, then stops it.
    private func withSource(_ peer: ScriptedAMIPeer, policy: ReconnectPolicy, pingInterval: Duration = .seconds(20),
                            deadAfter: Duration = .seconds(50), _ body: (Store) async throws -> Void) async throws {
        let configuration = try ConfigurationParser.parse(
            "[numbers]\ncountry_code = \"7\"\ntrunk_prefix = \"8\"\n[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "t.toml")
        let owner = try StoreWriter(store: .file(storePath), configuration: configuration)
        var settings = AMISettings(host: "127.0.0.1", port: peer.port, username: "ringback", secret: "s3cret")
        settings.pingInterval = pingInterval
        settings.deadAfter = deadAfter
        let context = SourceContext(name: "ami:test", kind: .ami, dialect: .ami, columns: nil, zone: ZoneConverter(identifier: "Europe/Moscow")!)
        let source = AMISource(settings: settings, policy: policy, context: context, sink: owner,
                               logger: Logger(label: "test"))
        let reader = try Store(path: storePath)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await source.run() }
            defer { group.cancelAll() }
            try await body(reader)
        }
        peer.stop()
    }

    private func legs(_ store: Store) throws -> Int { try store.counts()["legs"] ?? 0 }

    private func wait(seconds: Double = 20, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("condition not met within \(seconds) s")
    }

    func testLoginThenEventsSplitAcrossPacketsWithCRLFAndLF() async throws {
        let login = Mutex<[String: String]>([:])
        let peer = try ScriptedAMIPeer { _, connection in
            connection.send(Self.banner)
            login.withLock { $0 = connection.readMessage() ?? [:] }
            // The login reply and the first event in one packet.
            connection.send(Self.accepted + Self.cdr(1))
            connection.send(Self.cdr(2), inPiecesOf: 1)
            connection.send(Self.cdr(3, lineEnd: "\n"), inPiecesOf: 7)
            connection.send("Event: Newchannel\r\nChannel: PJSIP/101-1\r\n\r\n" + Self.cdr(4))
            _ = connection.readMessage(timeout: 30)
        }
        try await withSource(peer, policy: fastPolicy()) { store in
            try await wait { try legs(store) == 4 }
            let statuses = try store.sourceStatuses()
            XCTAssertEqual(statuses.first?.state, .connected)
        }
        let fields = login.withLock { $0 }
        XCTAssertEqual(fields["Action"], "Login")
        XCTAssertEqual(fields["Username"], "ringback")
        XCTAssertEqual(fields["Secret"], "s3cret")
        XCTAssertEqual(fields["Events"], "cdr")
    }

    func testRefusedLoginBacksOffWithGrowingPauses() async throws {
        let peer = try ScriptedAMIPeer { _, connection in
            connection.send(Self.banner)
            _ = connection.readMessage()
            connection.send("Response: Error\r\nActionID: ringback-login\r\nMessage: Authentication failed\r\n\r\n")
        }
        try await withSource(peer, policy: fastPolicy()) { store in
            try await wait { peer.connections.count >= 5 }
            let status = try XCTUnwrap(try store.sourceStatuses().first)
            XCTAssertEqual(status.state, .loginRefused)
            XCTAssertTrue(status.lastError?.contains("Authentication failed") == true, status.lastError ?? "")
            XCTAssertFalse(status.lastError?.contains("s3cret") == true)
        }
        let times = peer.connections.prefix(5)
        let pauses = zip(times.dropFirst(), times).map { $0.timeIntervalSince($1) }
        // At least 40, 80, 160, 320 ms: a loaded machine only adds to each pause, so the
        // floors are what is checked; that they double is the policy's own arithmetic.
        for (index, pause) in pauses.enumerated() {
            XCTAssertGreaterThanOrEqual(pause, 0.040 * Double(1 << index) * 0.95, "\(pauses)")
        }
        let policy = fastPolicy()
        XCTAssertEqual((1...5).map { policy.delay(afterFailures: $0, loginRefused: true) },
                       [.milliseconds(40), .milliseconds(80), .milliseconds(160), .milliseconds(320), .milliseconds(640)])
    }

    func testAnsweredPingsKeepTheLinkAndUnansweredOnesEndIt() async throws {
        let pings = Mutex(0)
        let peer = try ScriptedAMIPeer { index, connection in
            connection.send(Self.banner)
            _ = connection.readMessage()
            connection.send(Self.accepted)
            if index == 0 {
                // Answer every ping for a second.
                let until = Date().addingTimeInterval(1)
                while Date() < until, let ping = connection.readMessage(timeout: 1) {
                    pings.withLock { $0 += 1 }
                    connection.send("Response: Success\r\nActionID: \(ping["ActionID"] ?? "")\r\nPing: Pong\r\n\r\n")
                }
            }
            // Then silence: the client must give up on this link and connect again.
            while connection.readMessage(timeout: 5) != nil {}
        }
        try await withSource(peer, policy: fastPolicy(), pingInterval: .milliseconds(50), deadAfter: .milliseconds(300)) { _ in
            try await wait { peer.connections.count >= 3 }
        }
        let times = peer.connections
        XCTAssertGreaterThanOrEqual(pings.withLock { $0 }, 10, "pinged every 50 ms")
        XCTAssertGreaterThan(times[1].timeIntervalSince(times[0]), 1.2, "answered pings kept the first link for its second")
        XCTAssertLessThan(times[2].timeIntervalSince(times[1]), 1.5, "a silent link ends after 300 ms, not later")
    }

    /// The link dropped 100 times in the middle of an event: every event sent completely
    /// before a drop is stored, once, including the ones sent again after a reconnect.
    func testHundredDropsMidEventLoseNoCompleteEventAndDoubleNone() async throws {
        let peer = try ScriptedAMIPeer { index, connection in
            guard index < 100 else { return }
            connection.send(Self.banner)
            _ = connection.readMessage()
            var text = Self.accepted
            if index > 0 { text += Self.cdr(index * 3 - 1) }  // sent again: already stored
            for event in 0..<3 { text += Self.cdr(index * 3 + event, lineEnd: index % 2 == 0 ? "\r\n" : "\n") }
            let half = Self.cdr(100_000 + index)
            text += String(half.prefix(half.count / 2))
            connection.send(text, inPiecesOf: 500, pause: 0)
        }
        let started = Date()
        try await withSource(peer, policy: fastPolicy()) { store in
            try await wait(seconds: 60) { try peer.connections.count >= 100 && legs(store) >= 300 }
            try await Task.sleep(for: .milliseconds(200))
            XCTAssertEqual(try legs(store), 300)
        }
        print("AMI reconnect test: 100 drops, 300 events, \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }
}
