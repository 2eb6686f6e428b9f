import Foundation
import Logging
import RingbackSystemd
import XCTest

/// The journal entry's fields, and the entry as it reaches the journal's socket.
final class JournalLogHandlerTests: XCTestCase {
    func testMetadataBecomesFieldsOfTheirOwn() {
        let fields = JournalLogHandler.fields(
            level: .warning, message: "2 rows rejected",
            metadata: ["source": "pbx", "file": "/var/log/asterisk/cdr-csv/Master.csv", "line": "42", "call_id": "1773.5",
                       "message": "shadow", "_private": "x", "9lives": "y"],
            identifier: "ringbackd")
        XCTAssertEqual(fields.prefix(3), ["MESSAGE=2 rows rejected", "PRIORITY=4", "SYSLOG_IDENTIFIER=ringbackd"])
        XCTAssertTrue(fields.contains("SOURCE=pbx"))
        XCTAssertTrue(fields.contains("FILE=/var/log/asterisk/cdr-csv/Master.csv"))
        XCTAssertTrue(fields.contains("LINE=42"))
        XCTAssertTrue(fields.contains("CALL_ID=1773.5"))
        XCTAssertTrue(fields.contains("META_MESSAGE=shadow"), "metadata never overrides the journal's own fields")
        XCTAssertFalse(fields.contains { $0.hasPrefix("_") || $0.hasPrefix("9") })
    }

    func testPriorities() {
        XCTAssertEqual(JournalLogHandler.fields(level: .critical, message: "m", metadata: [:], identifier: "x")[1], "PRIORITY=2")
        XCTAssertEqual(JournalLogHandler.fields(level: .debug, message: "m", metadata: [:], identifier: "x")[1], "PRIORITY=7")
    }

    func testStandardErrorIsJournalOnlyWhenTheStreamMatches() {
        // The test runner's stderr is not the journal's stream.
        XCTAssertFalse(JournalLogHandler.standardErrorIsJournal)
    }

    /// The positive path through libsystemd: an entry logged through swift-log arrives at
    /// the journal's socket (`/run/systemd/journal/socket`, where libsystemd always sends)
    /// as one datagram of the native protocol, with the metadata as fields. Where no journald
    /// runs (a container, CI), the test binds that socket itself and reads what arrives.
    func testAnEntryReachesTheJournalSocketWithItsFields() throws {
        let folder = "/run/systemd/journal", path = folder + "/socket"
        guard !FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("a journald listens at \(path) here; the entry would go to the system journal")
        }
        guard geteuid() == 0 else { throw XCTSkip("binding \(path) needs root") }
        let createdFolder = !FileManager.default.fileExists(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let journal = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(journal, 0)
        defer {
            close(journal)
            unlink(path)
            if createdFolder { rmdir(folder) }
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(journal, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, String(cString: strerror(errno)))

        let logger = Logger(label: "test") { _ in JournalLogHandler(identifier: "ringback-test") }
        logger.warning("2 rows rejected", metadata: ["source": "pbx", "line": "42"])

        var entry = pollfd(fd: journal, events: Int16(POLLIN), revents: 0)
        XCTAssertEqual(poll(&entry, 1, 5000), 1, "nothing arrived at the journal socket")
        var datagram = [UInt8](repeating: 0, count: 64 << 10)
        let count = recv(journal, &datagram, datagram.count, 0)
        XCTAssertGreaterThan(count, 0)
        // Every value here is one line, so the native protocol is plain KEY=value lines.
        let fields = String(decoding: datagram.prefix(max(0, count)), as: UTF8.self).split(separator: "\n").map(String.init)
        for expected in ["MESSAGE=2 rows rejected", "PRIORITY=4", "SYSLOG_IDENTIFIER=ringback-test", "SOURCE=pbx", "LINE=42"] {
            XCTAssertTrue(fields.contains(expected), "\(expected) in \(fields)")
        }
        XCTAssertTrue(fields.contains { $0.hasPrefix("CODE_FILE=") && $0.hasSuffix("JournalLogHandlerTests.swift") }, "\(fields)")
    }
}
