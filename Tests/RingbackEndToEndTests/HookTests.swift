import Foundation
import XCTest

/// The daemon hands new alerts to `[hooks] on_alert` (SPEC §4.5).
final class HookTests: XCTestCase {
    private func lines(_ url: URL) -> [[String: Any]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The shipped example hook, as the unit runs it: it writes under $STATE_DIRECTORY. A
    /// backfill's old alerts are not handed over; a live one is, once, across a restart.
    func testShippedExampleHookGetsEachLiveAlertOnce() throws {
        let hook = RingbackHarness.repository.appendingPathComponent("Config/hooks/alert-to-file").path
        let daemon = try DaemonHarness(sections: """
            [hooks]
            on_alert = "\(hook)"
            max_age = 60
            timeout = 5
            """)
        defer { daemon.remove() }
        let state = daemon.harness.directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        daemon.environment["STATE_DIRECTORY"] = state.path
        let delivered = state.appendingPathComponent("alerts.jsonl")
        try daemon.harness.load()
        // Last March's missed call: its alerts are far older than max_age.
        let old = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("calls/three-misses.csv"),
                             encoding: .utf8)
        try daemon.append(old.split(separator: "\n").map(String.init)[...], to: daemon.masterCSV)
        try daemon.start()
        try daemon.wait { daemon.harness.poll(["alerts"]).count >= 2 }
        try daemon.append([DaemonHarness.missedCallRow(startedSecondsAgo: 60).row][...], to: daemon.masterCSV)
        daemon.wait(seconds: 20) { !lines(delivered).isEmpty }
        XCTAssertEqual(daemon.stop(), 0)
        try daemon.start()
        Thread.sleep(forTimeInterval: 2)
        XCTAssertEqual(daemon.stop(), 0)
        let got = lines(delivered)
        XCTAssertEqual(got.count, 1, "\(got)")
        XCTAssertEqual(got.first?["kind"] as? String, "missed_call")
        XCTAssertEqual(got.first?["number"] as? String, "+79035551010")
        XCTAssertEqual(got.first?["manager_id"] as? String, "m1")
        XCTAssertEqual(got.first?["manager_name"] as? String, "Anna Petrova")
        let status = try daemon.harness.run(["status"]).stdout
        XCTAssertTrue(status.contains("alert hook: 1 delivered, 0 waiting, 0 given up, 2 too old to send"), status)
    }

    /// A failing hook is tried again with growing pauses; while it runs, CDRs keep flowing.
    func testFailingHookIsRetriedAndASlowOneDoesNotHoldIngestion() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-hook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let seen = scratch.appendingPathComponent("seen.jsonl")
        let count = scratch.appendingPathComponent("count")
        let script = scratch.appendingPathComponent("flaky-hook")
        // Fails twice, then takes 3 seconds to succeed.
        try """
            #!/bin/sh
            n=$(cat '\(count.path)' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '\(count.path)'
            cat >> '\(seen.path)'
            [ $n -le 2 ] && exit 1
            sleep 3
            """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        let daemon = try DaemonHarness(sections: "[hooks]\non_alert = \"\(script.path)\"\ntimeout = 10\n")
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        try daemon.append([DaemonHarness.missedCallRow(startedSecondsAgo: 60).row][...], to: daemon.masterCSV)
        let started = Date()
        daemon.wait(seconds: 30) { lines(seen).count >= 3 }
        // Attempts 1 and 2 fail; the third comes after 1 s + 2 s of pauses.
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 3)
        XCTAssertEqual(lines(seen).prefix(3).compactMap { $0["attempt"] as? Int }, [1, 2, 3])

        // The third attempt is sleeping: another missed call still reaches `pending` at once.
        let appended = Date()
        try daemon.append([DaemonHarness.missedCallRow(startedSecondsAgo: 30, number: "89035552020",
                                                       uniqueID: "1773127999.1").row][...], to: daemon.masterCSV)
        try daemon.wait(seconds: 10) {
            daemon.harness.poll(["pending"]).contains { $0.text("number") == "+79035552020" }
        }
        XCTAssertLessThan(Date().timeIntervalSince(appended), 2.5, "ingestion waited for the hook")
        daemon.wait(seconds: 30) {
            Set(lines(seen).compactMap { $0["number"] as? String }) == ["+79035551010", "+79035552020"]
        }
        XCTAssertEqual(daemon.stop(), 0)
    }
}
