import Foundation
import RingbackTestSupport
import XCTest
@testable import RingbackStore

/// The PostgreSQL store's schema, on the tests' own server.
final class PostgresSchemaTests: XCTestCase {
    /// Both stores answer the same questions from the same tables: every table, column and
    /// index of a new SQLite store is in a new PostgreSQL one, and nothing else.
    func testItHoldsTheSQLiteStoresTablesColumnsAndIndexes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let sqlitePath = folder.appendingPathComponent("ringback.db").path
        _ = try Store(path: sqlitePath)
        let sqliteColumns = try SQLiteShell.run("""
            SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1
            """, on: sqlitePath).split(separator: "\n").map(String.init)
        let sqliteIndexes = try SQLiteShell.run(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY 1",
            on: sqlitePath).split(separator: "\n").map(String.init)

        let database = try PostgresTestServer.freshDatabase("schema")
        try PostgresSchema.apply(to: PostgresConnection(url: database.url, password: database.password))
        let postgresColumns = try PostgresTestServer.psql("""
            SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = 'public'
            """, on: database).split(separator: "\n").map(String.init).sorted()
        // Keys the SQLite store declares in its tables (they have no index names of their own
        // there), the quarantine's uniqueness on the digest of a row's bytes, and the index by
        // number for `hasCallAfter`, which SQLite answers by its index by start (`INDEXED BY`).
        let postgresIndexes = try PostgresTestServer.psql("""
            SELECT indexname FROM pg_indexes WHERE schemaname = 'public'
            AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key' AND indexname NOT IN ('quarantine_row', 'calls_number_started')
            """, on: database).split(separator: "\n").map(String.init).sorted()
        XCTAssertEqual(postgresColumns, sqliteColumns.sorted())
        XCTAssertEqual(postgresIndexes, sqliteIndexes.sorted())
        XCTAssertGreaterThan(sqliteColumns.count, 150)
    }

    func testSeveralDaemonsStartingAtOnceMigrateItOnce() throws {
        let database = try PostgresTestServer.freshDatabase("migrate")
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                try PostgresSchema.apply(to: PostgresConnection(url: database.url, password: database.password))
            } catch {
                failures.add("\(error)")
            }
        }
        XCTAssertEqual(failures.all, [])
        let connection = try PostgresConnection(url: database.url, password: database.password)
        XCTAssertEqual(try PostgresSchema.version(connection), PostgresSchema.all.count)
        XCTAssertNoThrow(try PostgresSchema.check(connection))
    }

    func testASchemaFromANewerBuildIsRefusedAndAnEmptyOneNamesWhatToRun() throws {
        let database = try PostgresTestServer.freshDatabase("newer")
        let connection = try PostgresConnection(url: database.url, password: database.password)
        XCTAssertThrowsError(try PostgresSchema.check(connection)) { error in
            XCTAssertTrue("\(error)".contains("run `ringback ingest`"), "\(error)")
        }
        try PostgresSchema.apply(to: connection)
        _ = try PostgresTestServer.psql("UPDATE meta SET value = '99' WHERE key = 'schema_version'", on: database)
        for attempt in [{ try PostgresSchema.apply(to: connection) }, { try PostgresSchema.check(connection) }] {
            XCTAssertThrowsError(try attempt()) { error in
                XCTAssertEqual((error as? StoreError)?.kind, .cannotOpen)
                XCTAssertTrue("\(error)".contains("schema version 99") && "\(error)".contains("upgrade ringback"), "\(error)")
            }
        }
    }
}

/// Errors collected from several threads.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ failure: String) { lock.withLock { list.append(failure) } }
    var all: [String] { lock.withLock { list } }
}
