import Foundation
import RingbackTestSupport
import XCTest

/// `ringback migrate-store` (SPEC §10): an SQLite store copied into an empty PostgreSQL
/// database answers every command the same, and goes on the same.
final class MigrateStoreTests: XCTestCase {
    func testACopiedStoreAnswersEveryCommandAsTheFileDoesAndGoesOnTheSame() throws {
        try XCTSkipIf(TestStore.onPostgres, "an SQLite store to copy from: the SQLite pass runs it")
        let file = try RingbackHarness()
        defer { file.remove() }
        try file.load("three-misses", "callback-after-due", "client-calls-again", "bad-input", "voicemail", "queue-abandoned")
        let database = try PostgresTestServer.freshDatabase("migrate")
        let copied = try file.run(["migrate-store", "--to", database.url, "--password-file", database.passwordFile, "--format", "json"])
        XCTAssertEqual(copied.status, 0, copied.stderr)
        let tables = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(copied.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(tables.first { $0.text("table") == "legs" }?.int("rows"), Int(try file.sqlite("SELECT count(*) FROM legs")))
        XCTAssertEqual(tables.first { $0.text("table") == "checkpoints" }.map { _ in true }, true, "read positions too")

        let server = try RingbackHarness(config: file.config, sharing: file, database: database)
        let commands = [["pending"], ["missed", "--since", "2026-03-01"], ["alerts"], ["report", "--day", "2026-03-10"],
                        ["quarantine"], ["status"]]
        // `status` tells when each store last read a file: equal for the copy, not after two loads.
        func assertSameAnswers(line: UInt = #line, status: Bool = true) throws {
            for command in commands where status || command != ["status"] {
                let arguments = command + ["--at", "2026-03-11 12:00", "--format", "json"]
                var (copy, original) = (try server.run(arguments), try file.run(arguments))
                XCTAssertEqual(copy.status, 0, "\(command): \(copy.stderr)", line: line)
                // `status` counts the seconds since a source's last row on the wall clock: two
                // runs may fall in two seconds.
                copy.stdout = Self.withoutSecondsSince(copy.stdout)
                original.stdout = Self.withoutSecondsSince(original.stdout)
                guard copy.stdout != original.stdout else { continue }
                let at = zip(copy.stdout, original.stdout).prefix { $0 == $1 }.count
                XCTFail("\(command) answers differently from character \(at): \(copy.stdout.dropFirst(max(0, at - 80)).prefix(160)) "
                        + "instead of \(original.stdout.dropFirst(max(0, at - 80)).prefix(160))", line: line)
            }
        }
        try assertSameAnswers()
        // The copy goes on as the file does: new callbacks and alerts take the next ids.
        for harness in [file, server] {
            let output = try harness.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/missed-friday-evening.csv").path])
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        try assertSameAnswers(status: false)
        // A database holding anything is refused, and keeps what it holds.
        let again = try file.run(["migrate-store", "--to", database.url, "--password-file", database.passwordFile])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("is not empty"), again.stderr)
        try assertSameAnswers(status: false)
    }

    private static func withoutSecondsSince(_ json: String) -> String {
        json.replacingOccurrences(of: #""seconds_since_last_row": [0-9]+"#, with: "", options: .regularExpression)
    }
}
