import Foundation
import XCTest

/// The daemon on a real spool directory: tailing, rotation, crash and restart, systemd notify.
final class DaemonTests: XCTestCase {
    var daemon: DaemonHarness!
    override func setUpWithError() throws { daemon = try DaemonHarness() }
    override func tearDown() { daemon.remove() }

    /// A clean one-shot ingest of the same rows: what the daemon's store must agree with.
    private func reference(_ rows: [String]) throws -> RingbackHarness {
        let clean = try RingbackHarness()
        let file = clean.directory.appendingPathComponent("all.csv")
        try rows.map { $0 + "\n" }.joined().write(to: file, atomically: true, encoding: .utf8)
        try clean.load()
        XCTAssertEqual(try clean.run(["ingest", file.path]).status, 0)
        return clean
    }

    private func missedCallIDs(_ harness: RingbackHarness) throws -> [String] {
        try harness.json(["missed", "--since", "2026-03-01"]).compactMap { $0.text("call_id") }.sorted()
    }

    /// The first index at or after `index` where a new call starts: Asterisk writes all rows
    /// of a call at once, so a test appends whole calls.
    private func callBoundary(_ rows: [String], _ index: Int) -> Int {
        func linkedID(_ row: String) -> Substring { row.split(separator: ",").dropLast().last ?? "" }
        var cut = index
        while cut < rows.count, cut > 0, linkedID(rows[cut]) == linkedID(rows[cut - 1]) { cut += 1 }
        return cut
    }

    func testTailsAGrowingFileThroughRenameAndCopytruncateRotation() throws {
        let rows = try DaemonHarness.generatedRows(3000)
        let (a, b, c) = (callBoundary(rows, 1000), callBoundary(rows, 1500), callBoundary(rows, 2000))
        try daemon.harness.load()
        try daemon.append(rows[0..<a], to: daemon.masterCSV)
        try daemon.start()
        try daemon.wait { try daemon.storedRows() == a }

        // A half-written last line is left alone until its line feed arrives.
        let handle = try FileHandle(forWritingTo: daemon.masterCSV)
        try handle.seekToEnd()
        let split = rows[a].index(rows[a].startIndex, offsetBy: 60)
        try handle.write(contentsOf: Data(rows[a][..<split].utf8))
        // A pass over the file ends by reporting what it left unread: the half line.
        try daemon.wait { daemon.harness.poll(["status"]).first?.int("unread_bytes") == 60 }
        XCTAssertEqual(try daemon.storedRows(), a)
        // The rest of the line and of its call, written at once as Asterisk writes a call.
        try handle.write(contentsOf: Data(([String(rows[a][split...])] + rows[(a + 1)..<b]).map { $0 + "\n" }.joined().utf8))
        try handle.close()
        try daemon.wait { try daemon.storedRows() == b }

        // logrotate `create`: rename, then Asterisk writes a new Master.csv.
        let first = daemon.spool.appendingPathComponent("Master.csv.1")
        try FileManager.default.moveItem(at: daemon.masterCSV, to: first)
        try daemon.append(rows[b..<c], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() == c }

        // logrotate `copytruncate`: copy aside, truncate in place, writing goes on.
        try FileManager.default.moveItem(at: first, to: daemon.spool.appendingPathComponent("Master.csv.2"))
        try FileManager.default.copyItem(at: daemon.masterCSV, to: first)
        try FileHandle(forWritingTo: daemon.masterCSV).truncate(atOffset: 0)
        try daemon.append(rows[c...], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() == rows.count }

        XCTAssertEqual(daemon.stop(), 0, "SIGTERM finishes the batch and exits 0")
        let clean = try reference(rows)
        defer { clean.remove() }
        XCTAssertEqual(try missedCallIDs(daemon.harness), try missedCallIDs(clean))
        XCTAssertEqual(try daemon.harness.json(["quarantine"]).count, 0)
    }

    /// The file rewritten in place with fewer bytes, then deleted and created again: each
    /// new content is read from its start, nothing lost, nothing doubled.
    func testFileReplacedByAShorterOneAndDeletedAndRecreated() throws {
        let rows = try DaemonHarness.generatedRows(1200, seed: 4)
        let (a, b) = (callBoundary(rows, 800), callBoundary(rows, 1000))
        try daemon.harness.load()
        try daemon.append(rows[0..<a], to: daemon.masterCSV)
        try daemon.start()
        try daemon.wait { try daemon.storedRows() == a }

        // Rewritten in place (same inode), shorter than what was read.
        let handle = try FileHandle(forWritingTo: daemon.masterCSV)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(rows[a..<b].map { $0 + "\n" }.joined().utf8))
        try handle.close()
        try daemon.wait { try daemon.storedRows() == b }

        // Deleted, then created again.
        try FileManager.default.removeItem(at: daemon.masterCSV)
        Thread.sleep(forTimeInterval: 0.3)
        try daemon.append(rows[b...], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() == rows.count }
        XCTAssertEqual(daemon.stop(), 0)
        let clean = try reference(rows)
        defer { clean.remove() }
        XCTAssertEqual(try missedCallIDs(daemon.harness), try missedCallIDs(clean))
    }

    /// Directory files waiting in the drop folder are imported before the first CDR is read,
    /// so a backfill at start meets the clients and managers.
    func testDirectoryDroppedBeforeStartMeetsTheFirstCDRs() throws {
        for kind in ["managers", "clients"] {
            try FileManager.default.copyItem(at: RingbackHarness.fixtures.appendingPathComponent("directory/\(kind).csv"),
                                             to: daemon.dropFolder.appendingPathComponent("\(kind).csv"))
        }
        let rows = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("calls/callback-before-due.csv"),
                              encoding: .utf8).split(separator: "\n").map(String.init)
        try daemon.append(rows[...], to: daemon.masterCSV)
        try daemon.start()
        try daemon.wait { daemon.harness.poll(["missed", "--since", "2026-03-10"]).count == 1 }
        let missed = try XCTUnwrap(try daemon.harness.json(["missed", "--since", "2026-03-10"]).first)
        XCTAssertEqual(missed.text("client_id"), "c2")
        XCTAssertEqual(missed.text("manager_id"), "m2")
        XCTAssertEqual(daemon.stop(), 0)
    }

    func testHugeAndBinaryLinesAreQuarantinedAndTheRowsAroundThemKept() throws {
        let rows = try DaemonHarness.generatedRows(40)
        let cut = callBoundary(rows, 20)
        try daemon.append(rows[0..<cut], to: daemon.masterCSV)
        let handle = try FileHandle(forWritingTo: daemon.masterCSV)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: UInt8(ascii: "x"), count: 10 << 20) + Data("\n".utf8))
        try handle.write(contentsOf: Data([0x00, 0xFF, 0xFE, 0x22, 0x2C, 0x0D, 0x0A]))
        try handle.close()
        try daemon.append(rows[cut...], to: daemon.masterCSV)
        try daemon.start()
        try daemon.wait(seconds: 60) { try daemon.storedRows() == rows.count }
        try daemon.wait(seconds: 20) { daemon.harness.poll(["quarantine"]).count == 2 }
        let rejected = try daemon.harness.json(["quarantine"])
        XCTAssertEqual(rejected.compactMap { $0.int("line") }, [cut + 1, cut + 2])
        XCTAssertTrue(rejected[0].text("reason")?.contains("64 KiB") ?? false, "\(rejected[0])")
        XCTAssertEqual(daemon.stop(), 0)
    }

    func testCompressedRotationsAndOtherFilesAreNotRead() throws {
        let rows = try DaemonHarness.generatedRows(30)
        try daemon.append(rows[...], to: daemon.masterCSV)
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x00, 0x0A, 0xFF, 0x00]).write(to: daemon.spool.appendingPathComponent("Master.csv.2.gz"))
        try "not a CDR\n".write(to: daemon.spool.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        try daemon.start()
        try daemon.wait { try daemon.storedRows() == rows.count }
        Thread.sleep(forTimeInterval: 1.5)
        XCTAssertEqual(try daemon.harness.json(["quarantine"]).count, 0)
        XCTAssertEqual(daemon.stop(), 0)
    }

    func testBadConfigurationIsRefusedAtStartWithFileAndLine() throws {
        let config = daemon.harness.directory.appendingPathComponent("broken.toml")
        try "[numbers]\ncountry_code = 7\n".write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = RingbackHarness.products.appendingPathComponent("ringbackd")
        process.arguments = ["--config", config.path] + daemon.harness.storeArguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        XCTAssertTrue(message.contains("broken.toml:2"), message)
        XCTAssertTrue(message.contains("country_code"), message)
    }

    func testKillNineDuringALargeIngestStoresEveryRowOnce() throws {
        let rows = try DaemonHarness.generatedRows(40_000, seed: 9)
        try daemon.harness.load()
        try daemon.append(rows[...], to: daemon.masterCSV)
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<6 {
            try daemon.start()
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...0.9, using: &generator))
            daemon.killHard()
            kills += 1
            if try daemon.storedRows() == rows.count { break }
        }
        XCTAssertGreaterThan(kills, 1)
        try daemon.start()
        try daemon.wait(seconds: 120) { try daemon.storedRows() == rows.count }
        XCTAssertEqual(daemon.stop(), 0)
        XCTAssertEqual(try daemon.storedRows(), rows.count, "every row stored exactly once")
        let clean = try reference(rows)
        defer { clean.remove() }
        XCTAssertEqual(try missedCallIDs(daemon.harness), try missedCallIDs(clean), "every call assembled once")
    }

    func testSweepRaisesOverdueOnTimeWithoutNewCDRsAndImportsDroppedDirectory() throws {
        // A call from an unknown number missed 30 minutes minus 3 seconds ago: its callback
        // falls due 3 seconds from now, with no further CDR to wake the daemon.
        let (row, start) = DaemonHarness.missedCallRow(startedSecondsAgo: 30 * 60 - 3)
        try daemon.start()
        try daemon.append([row][...], to: daemon.masterCSV)
        try daemon.wait { try daemon.storedRows() == 1 }
        try FileManager.default.copyItem(at: RingbackHarness.fixtures.appendingPathComponent("directory/managers.csv"),
                                         to: daemon.dropFolder.appendingPathComponent("managers-2026-03.csv"))
        try daemon.wait(seconds: 20) {
            daemon.harness.poll(["pending"]).first?.text("manager_id") == "m1"
        }
        try daemon.wait(seconds: 20) {
            !(daemon.harness.poll(["alerts", "--kind", "callback_overdue"]).isEmpty)
        }
        let overdue = try daemon.harness.json(["alerts", "--kind", "callback_overdue"])
        let due = start.addingTimeInterval(30 * 60)
        XCTAssertEqual(overdue.first?.text("raised_at").flatMap { ISO8601DateFormatter().date(from: $0) }, due,
                       "raised at the due time itself, not when the sweep noticed")
        XCTAssertEqual(overdue.first?.text("manager_id"), "m1")
        XCTAssertEqual(daemon.stop(), 0)
    }

    func testStatusExitsThreeWhenASourceFails() throws {
        try FileManager.default.removeItem(at: daemon.spool)
        try daemon.start()
        try daemon.wait(seconds: 20) {
            try daemon.harness.run(["status"]).status == 3
        }
        let status = try daemon.harness.run(["status", "--format", "json"])
        XCTAssertEqual(status.status, 3)
        XCTAssertTrue(status.stdout.contains("failing"), status.stdout)
        XCTAssertTrue(status.stdout.contains("cannot list the directory"), status.stdout)
        // The directory appears: the source recovers without a restart.
        try FileManager.default.createDirectory(at: daemon.spool, withIntermediateDirectories: true)
        try daemon.append(try DaemonHarness.generatedRows(10)[...], to: daemon.masterCSV)
        try daemon.wait(seconds: 20) { try daemon.harness.run(["status"]).status == 0 }
        XCTAssertEqual(daemon.stop(), 0)
    }

    func testNotifiesReadyWatchdogStatusAndStopping() throws {
        let path = daemon.harness.directory.appendingPathComponent("notify.sock").path
        let socket = try NotifySocket(path: path)
        defer { socket.close() }
        daemon.environment["NOTIFY_SOCKET"] = path
        // WatchdogSec=1: pings are due every half second.
        daemon.environment["WATCHDOG_USEC"] = "1000000"
        try daemon.start()
        XCTAssertEqual(socket.receive(timeout: 20), "READY=1")
        var messages: [String] = []
        let until = Date().addingTimeInterval(2.2)
        while Date() < until, let message = socket.receive(timeout: 1) { messages.append(message) }
        XCTAssertGreaterThanOrEqual(messages.filter { $0 == "WATCHDOG=1" }.count, 3, "\(messages)")
        let status = messages.first { $0.hasPrefix("STATUS=") }
        XCTAssertEqual(status, "STATUS=1 source, no CDR yet, 0 overdue")
        XCTAssertEqual(daemon.stop(), 0)
        messages = []
        while let message = socket.receive(timeout: 2) { messages.append(message) }
        XCTAssertTrue(messages.contains("STOPPING=1"), "\(messages)")
    }
}

/// A datagram socket standing in for systemd's notify socket.
final class NotifySocket {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    /// The next message, ignoring STATUS= and WATCHDOG= lines; nil after `timeout` seconds.
    func receive(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&entry, 1, 100) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { continue }
            let message = String(decoding: buffer[0..<count], as: UTF8.self)
            return message
        }
        return nil
    }

    func close() { Glibc.close(descriptor) }
}
