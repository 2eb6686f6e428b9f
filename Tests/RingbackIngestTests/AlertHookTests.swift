import Foundation
import RingbackConfig
import RingbackCore
import RingbackHooks
import RingbackIngest
import RingbackStore
import XCTest

/// The exec hook: the program call, the retry policy, and the delivery state in the store.
final class AlertHookTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        signal(SIGPIPE, SIG_IGN)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func shell(_ script: String, timeout: Duration = .seconds(5)) -> HookProgram {
        HookProgram(command: ["/bin/sh", "-c", script], timeout: timeout)
    }

    func testProgramGetsThePayloadOnStandardInput() async throws {
        let file = directory.appendingPathComponent("got.json").path
        let outcome = await shell("cat > '\(file)'").deliver("{\"alert_id\":1}\n")
        XCTAssertEqual(outcome, .delivered)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "{\"alert_id\":1}\n")
    }

    /// Deliveries at once (the daemon runs up to four), each program reading its input to
    /// the end: no program may inherit another delivery's pipe, or its `cat` never sees end
    /// of file and is killed at the timeout (found under systemd: four per run).
    func testDeliveriesAtOnceDoNotHoldEachOthersPipesOpen() async {
        let hook = shell("cat > /dev/null", timeout: .seconds(5))
        for _ in 0..<5 {
            let outcomes = await withTaskGroup(of: HookOutcome.self) { group in
                for _ in 0..<8 { group.addTask { await hook.deliver("{\"alert_id\":1}\n") } }
                return await group.reduce(into: [HookOutcome]()) { $0.append($1) }
            }
            XCTAssertEqual(outcomes, Array(repeating: .delivered, count: 8))
        }
    }

    func testFailuresCarryTheirReason() async {
        let exit = await shell("exit 3").deliver("{}")
        XCTAssertEqual(exit, .failed("exit status 3"))
        let missing = await HookProgram(command: ["/nonexistent/hook"], timeout: .seconds(1)).deliver("{}")
        XCTAssertEqual(missing, .failed("cannot start /nonexistent/hook: No such file or directory"))
        // A program that never reads its input and exits at once is not a failure.
        let ignoring = await shell("exit 0").deliver(String(repeating: "x", count: 200_000))
        XCTAssertEqual(ignoring, .delivered)
    }

    func testAProgramPastItsTimeoutIsKilled() async {
        let started = Date()
        let outcome = await shell("sleep 30", timeout: .seconds(1)).deliver("{}")
        XCTAssertEqual(outcome, .failed("killed after 1 s"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testRetryPolicyDoublesUpToFiveMinutesAndGivesUpAfterTen() {
        let policy = HookRetryPolicy()
        let delays = (1...9).map { policy.retryAt(afterAttempt: $0, now: 1000)! - 1000 }
        XCTAssertEqual(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256])
        XCTAssertEqual(policy.retryAt(afterAttempt: 10, now: 1000), nil)
        var capped = HookRetryPolicy()
        capped.maximumAttempts = 100
        XCTAssertEqual(capped.retryAt(afterAttempt: 40, now: 0), 300)
    }

    func testCommandLineWords() {
        XCTAssertEqual(HookCommandLine.words("/usr/bin/hook --to head@office"), ["/usr/bin/hook", "--to", "head@office"])
        XCTAssertEqual(HookCommandLine.words("\"/opt/my hooks/send\"  a"), ["/opt/my hooks/send", "a"])
        XCTAssertNil(HookCommandLine.words("  "))
        XCTAssertNil(HookCommandLine.words("\"/unterminated"))
    }

    /// A store holding the alerts of a call missed at 2026-03-10 10:00 Moscow: its
    /// `missed_call` alert, and the `callback_overdue` one 30 minutes later.
    private func storeWithAlerts() throws -> (Store, missedCall: AlertRecord) {
        let configuration = try ConfigurationParser.parse(
            "[numbers]\ncountry_code = \"7\"\ntrunk_prefix = \"8\"\n[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "t.toml")
        let store = try Store(path: directory.appendingPathComponent("ringback.db").path)
        let pipeline = try IngestPipeline(store: store, configuration: configuration)
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/calls/unknown-number-direct.csv")
        let source = SourceContext(name: "t", kind: .command, dialect: .asterisk, columns: nil, zone: ZoneConverter(identifier: "Europe/Moscow")!)
        _ = try FileIngestor(pipeline: pipeline).ingest(path: fixture.path, source: source)
        try pipeline.finish()
        XCTAssertEqual(try store.alerts(at: .max, kind: nil, state: nil, managerID: nil).map(\.kind),
                       [.missedCall, .callbackOverdue])
        return (store, try XCTUnwrap(try store.alerts(at: .max, kind: .missedCall, state: nil, managerID: nil).first))
    }

    func testDeliveryIsClaimedUntilFinishedSoACrashRepeatsButNeverLosesIt() throws {
        let (store, alert) = try storeWithAlerts()
        let now = alert.raisedAt + 60
        func claim(at time: Int64) throws -> [Int] {
            try store.claimHookDeliveries(now: time, limit: 10).filter { $0.alert.alertID == alert.alertID }.map(\.attempt)
        }
        XCTAssertEqual(try store.enqueueHookDeliveries(now: now, maxAge: 3600), 2)
        XCTAssertEqual(try store.enqueueHookDeliveries(now: now, maxAge: 3600), 0, "each alert is queued once")
        XCTAssertEqual(try claim(at: now), [1])
        // The daemon died while the program ran: after the restart the delivery is due again.
        XCTAssertEqual(try claim(at: now), [2])
        try store.finishHookDelivery(alertID: alert.alertID, delivered: false, error: "exit status 1", retryAt: now + 2, now: now)
        XCTAssertEqual(try claim(at: now + 1), [], "not before its retry time")
        XCTAssertEqual(try claim(at: now + 2), [3])
        try store.finishHookDelivery(alertID: alert.alertID, delivered: true, error: nil, retryAt: nil, now: now + 2)
        XCTAssertEqual(try claim(at: now + 1000), [], "delivered once, never again")
        XCTAssertEqual(try store.hookDeliveryCounts()["delivered"], 1)
    }

    func testAlertsOlderThanMaxAgeAreSkipped() throws {
        let (store, alert) = try storeWithAlerts()
        // Two hours after the miss, with one hour of max_age: the miss is skipped, the overdue
        // alert (raised 30 minutes after it) too.
        XCTAssertEqual(try store.enqueueHookDeliveries(now: alert.raisedAt + 7200, maxAge: 3600), 2)
        XCTAssertTrue(try store.claimHookDeliveries(now: alert.raisedAt + 7200, limit: 10).isEmpty)
        XCTAssertEqual(try store.hookDeliveryCounts(), ["skipped": 2])
    }

    func testPayloadIsOneLineWithTheAlertNames() throws {
        let (store, alert) = try storeWithAlerts()
        try store.enqueueHookDeliveries(now: alert.raisedAt, maxAge: 60)
        let job = try XCTUnwrap(try store.claimHookDeliveries(now: alert.raisedAt, limit: 1).first)
        let payload = AlertPayload.json(job, zone: ZoneConverter(identifier: "Europe/Moscow")!)
        XCTAssertEqual(payload.filter { $0 == "\n" }.count, 1)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
        XCTAssertEqual(object["kind"] as? String, "missed_call")
        XCTAssertEqual(object["raised_at"] as? String, "2026-03-10T10:00:00+03:00")
        XCTAssertEqual(object["number"] as? String, "+79035551010")
        XCTAssertEqual(object["attempt"] as? Int, 1)
        XCTAssertNotNil(object["alert_id"] as? Int)
    }
}
