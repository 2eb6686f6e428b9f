import Foundation
import RingbackStore
import XCTest

/// Latency benchmarks (not part of the test run: skipped unless RINGBACK_BENCH is the number
/// of samples; `scripts/bench-latency.sh` runs them in release mode).
final class LatencyBenchmarkTests: XCTestCase {
    private var samples: Int? { ProcessInfo.processInfo.environment["RINGBACK_BENCH"].flatMap(Int.init) }

    private static func report(_ name: String, _ latencies: [Double]) {
        let sorted = latencies.sorted()
        func rank(_ p: Double) -> Double { sorted[max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1)] }
        print(String(format: "%@ over %d samples: p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                     name, sorted.count, rank(0.5), rank(0.99), sorted.last ?? 0))
    }

    private static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Waits until `number` is pending; returns false after 10 s.
    private static func waitPending(_ store: Store, _ number: String) throws -> Bool {
        let started = ContinuousClock.now
        while ContinuousClock.now - started < .seconds(10) {
            let now = Int64(Date().timeIntervalSince1970)
            if try store.pending(at: now, managerID: nil, overdueOnly: false).contains(where: { $0.number == number }) { return true }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return false
    }

    /// A line appended to the watched Master.csv → its callback in the pending list.
    func testAppendToPending() throws {
        guard let count = samples else { throw XCTSkip("benchmark: set RINGBACK_BENCH=1000") }
        let daemon = try DaemonHarness()
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        try daemon.append([DaemonHarness.missedCallRow(startedSecondsAgo: 30, number: "89030000000", uniqueID: "1773400000.1").row][...],
                          to: daemon.masterCSV)
        let store = try Store(daemon.harness.storeLocation)
        XCTAssertTrue(try Self.waitPending(store, "+79030000000"))
        var latencies: [Double] = []
        for index in 1...count {
            let row = DaemonHarness.missedCallRow(startedSecondsAgo: 30, number: "8903\(String(format: "%07d", index))",
                                                  uniqueID: "17734\(String(format: "%05d", index)).1").row
            let sent = ContinuousClock.now
            try daemon.append([row][...], to: daemon.masterCSV)
            guard try Self.waitPending(store, "+7903\(String(format: "%07d", index))") else { return XCTFail("row \(index) not seen") }
            latencies.append(Self.milliseconds(ContinuousClock.now - sent))
        }
        XCTAssertEqual(daemon.stop(), 0)
        Self.report("Master.csv append to pending", latencies)
    }

    /// An AMI `Event: Cdr` sent by the scripted peer → its callback in the pending list.
    func testAMIEventToPending() throws {
        guard let count = samples else { throw XCTSkip("benchmark: set RINGBACK_BENCH=1000") }
        let outbox = AMIFixture.Outbox()
        let (peer, daemon) = try AMIFixture.connected(outbox)
        defer { peer.stop(); daemon.remove() }
        let store = try Store(daemon.harness.storeLocation)
        var latencies: [Double] = []
        for index in 0..<count {
            let sent = ContinuousClock.now
            outbox.push(AMIFixture.event("17733\(String(format: "%05d", index)).1", number: "8903\(String(format: "%07d", index))",
                                  startedSecondsAgo: 30))
            guard try Self.waitPending(store, "+7903\(String(format: "%07d", index))") else { return XCTFail("event \(index) not seen") }
            latencies.append(Self.milliseconds(ContinuousClock.now - sent))
        }
        XCTAssertEqual(daemon.stop(), 0)
        Self.report("AMI Cdr event to pending", latencies)
    }

    /// A line appended to the watched Master.csv → its callback on the manager's open page in
    /// headless chromium; resolved by the CLI → gone from it (SPEC §8.3's 2 s). At most 200
    /// samples: each takes a browser's round trip or two.
    func testAppendToOpenPage() throws {
        guard let count = samples else { throw XCTSkip("benchmark: set RINGBACK_BENCH=200") }
        let (web, spool) = try WebHarness.withSpool()
        defer { web.remove(); try? FileManager.default.removeItem(at: spool.deletingLastPathComponent()) }
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let base = "http://127.0.0.1:\(web.port)"
        try web.start()
        try web.startDaemon()
        let template = WebHarness.missedCall(from: "{number}", start: "{start}", end: "{end}", id: "{id}")
        let cli = [RingbackHarness.products.appendingPathComponent("ringback").path, "--config", web.harness.config] + web.harness.storeArguments
        let seen = try WebBrowserTests.runScript("page_latency.py", [
            base, String(link.dropFirst(base.count)), spool.appendingPathComponent("Master.csv").path, template,
            String(min(count, 200)), String(decoding: try JSONSerialization.data(withJSONObject: cli), as: UTF8.self)])
        XCTAssertEqual(seen["same_page"] as? Bool, true, "no reload")
        Self.report("Master.csv append to the open page", try XCTUnwrap(seen["appeared_ms"] as? [Double]))
        Self.report("CLI resolve to gone from the page", try XCTUnwrap(seen["left_ms"] as? [Double]))
    }
}
