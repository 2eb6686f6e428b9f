import Foundation
import RingbackCore

/// A test's store: an SQLite file in the test's folder, or, when the suite runs on
/// PostgreSQL (RINGBACK_TEST_STORE=postgres, the test command's second pass), a new
/// database on the tests' server. `query` asks it what no API shows.
public struct TestStore: Sendable {
    public static let onPostgres = ProcessInfo.processInfo.environment["RINGBACK_TEST_STORE"] == "postgres"

    public let location: StoreLocation
    public let database: PostgresTestServer.Database?

    /// `name`: the file's name without `.db`, or the database's label.
    public init(in directory: URL, _ name: String = "ringback") throws {
        guard Self.onPostgres else {
            location = .file(directory.appendingPathComponent(name + ".db").path)
            database = nil
            return
        }
        let database = try PostgresTestServer.freshDatabase(name)
        self.database = database
        location = .server(url: database.url, passwordFile: database.passwordFile)
    }

    /// What the sqlite3 shell, or psql, prints for `sql` (both `a|b` per row, NULL empty).
    public func query(_ sql: String) throws -> String {
        if let database { return try PostgresTestServer.psql(sql, on: database) }
        guard case .file(let path) = location else { return "" }
        return try SQLiteShell.run(sql, on: path)
    }
}
