import Foundation
import XCTest

/// Bad input (SPEC §5.3): each good row kept, each bad row in the quarantine with its reason.
final class BadInputTests: XCTestCase {
    func testEveryKindOfBadRowIsQuarantinedAndTheGoodOnesKept() throws {
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load()
        let file = RingbackHarness.fixtures.appendingPathComponent("calls/bad-input.csv").path
        let output = try harness.run(["ingest", file])
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("4 rows stored"), output.stdout)
        XCTAssertTrue(output.stdout.contains("5 rows rejected"), output.stdout)

        let quarantined = try harness.json(["quarantine"]).sorted { ($0.int("line") ?? 0) < ($1.int("line") ?? 0) }
        let reasons = quarantined.map { ($0.int("line") ?? 0, $0.text("reason") ?? "") }
        XCTAssertEqual(reasons.map(\.0), [4, 5, 6, 7, 8])
        let expected = [
            "15 columns; cdr_csv writes 16 to 21",
            "column 10 (start): \"2026-02-30 12:00:00\" is not a YYYY-MM-DD HH:MM:SS time",
            "end 2026-03-10 12:00:00 is before start 2026-03-10 12:00:20",
            "column 13 (duration): \"-5\" is not a non-negative integer",
            "1 columns; cdr_csv writes 16 to 21",
        ]
        for ((line, reason), wanted) in zip(reasons, expected) {
            XCTAssertEqual(reason, wanted, "line \(line)")
        }

        // The good rows: CRLF, a Windows-1251 name, broken UTF-8, and the last one.
        let missed = try harness.json(["missed", "--since", "2026-03-10", "--until", "2026-03-11"])
        XCTAssertEqual(missed.compactMap { $0.text("number") }.sorted(),
                       ["+79035559001", "+79035559002", "+79035559003", "+79035559009"])
        // Nothing is lost by a second read, nothing doubled.
        let again = try harness.run(["ingest", file])
        XCTAssertTrue(again.stdout.contains("0 rows stored, 4 already stored"), again.stdout)
        XCTAssertEqual(try harness.json(["quarantine"]).count, 5)
    }
}

/// A file with no line feeds (a binary dropped into the spool, a CDR writer gone wrong) is one
/// oversized record: rejected, skipped to its line feed, the good rows after it kept, and the
/// reader's memory stays one chunk however long it is.
final class OversizedRecordTests: XCTestCase {
    func testIngestSkipsARecordWithoutLineFeedsInBoundedMemory() throws {
        let harness = try RingbackHarness()
        defer { harness.remove() }
        try harness.load()
        let good = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("calls/direct-answered.csv"),
                              encoding: .utf8)
        let file = harness.directory.appendingPathComponent("Master.csv")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<96 { handle.write(block) }
        handle.write(Data(("\n" + good).utf8))
        try handle.close()

        let (status, peakKiB) = try spawnMeasuringPeak([RingbackHarness.products.appendingPathComponent("ringback").path,
                                                        "ingest", file.path, "--config", harness.config] + harness.storeArguments)
        XCTAssertEqual(status, 0)
        let quarantined = try harness.json(["quarantine"])
        XCTAssertEqual(quarantined.map { $0.int("line") }, [1])
        XCTAssertTrue(quarantined.first?.text("reason")?.contains("without a line feed") == true, "\(quarantined)")
        XCTAssertEqual(try harness.sqlite("SELECT count(*) FROM legs"), "1", "the good row after it is stored")
        // 96 MiB without a line feed: a reader that grows its buffer to hold it needs more than that.
        XCTAssertLessThan(peakKiB, 64 << 10, "peak RSS \(peakKiB) KiB")
    }

    /// Runs a program to its end (its output discarded) and returns its exit status and peak RSS.
    private func spawnMeasuringPeak(_ arguments: [String]) throws -> (status: Int32, peakKiB: Int) {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        return ((status >> 8) & 0xff, usage.ru_maxrss)
    }
}
