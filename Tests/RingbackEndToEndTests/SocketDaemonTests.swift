import Foundation
import RingbackTestSupport
import XCTest

/// `ringbackd` with a `kind = "socket"` source: rows pushed by a script become callbacks.
final class SocketDaemonTests: XCTestCase {
    func testPushedRowsBecomeCallbacks() throws {
        let path = "/tmp/rb-\(UUID().uuidString.prefix(8)).sock"
        let daemon = try DaemonHarness(sections: """
            [[source]]
            kind = "socket"
            name = "push"
            listen = "unix:\(path)"
            """)
        defer { daemon.remove() }
        try daemon.harness.load()
        try daemon.start()
        daemon.wait(seconds: 20) { FileManager.default.fileExists(atPath: path) }
        let row = DaemonHarness.missedCallRow(startedSecondsAgo: 90, number: "89035558888", uniqueID: "1773300001.3").row
        let outcome = UnixSocketWriter.write(path, Array((row + "\n").utf8)) { _ in 16 }
        XCTAssertFalse(outcome.closedByServer)
        try daemon.wait(seconds: 20) {
            daemon.harness.poll(["pending"]).contains { $0.text("number") == "+79035558888" }
        }
        let status = try daemon.harness.json(["status"])
        XCTAssertEqual(status.first { $0.text("source") == "push" }?.int("rows"), 1)
        XCTAssertEqual(daemon.stop(), 0)
    }
}
