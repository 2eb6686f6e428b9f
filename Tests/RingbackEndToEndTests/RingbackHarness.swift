import Foundation
import RingbackCore
import RingbackTestSupport
import XCTest

/// Runs the built `ringback` and `ringbackd` executables against a scratch store, with the
/// fixture configuration and directory.
struct RingbackHarness {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures")
    /// Where `swift build` put the executables: beside the test bundle.
    static let products: URL = {
        let bundles = Bundle.allBundles.map(\.bundleURL) + [Bundle.main.bundleURL]
        let candidates = bundles.flatMap { [$0, $0.deletingLastPathComponent()] }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.appendingPathComponent("ringback").path) }
            ?? Bundle.main.bundleURL
    }()

    let directory: URL
    let config: String
    /// The SQLite store's file; on PostgreSQL, where nothing is written.
    let db: String
    /// The test's own database when the suite runs on PostgreSQL (RINGBACK_TEST_STORE=postgres).
    let database: PostgresTestServer.Database?

    /// A fresh scratch directory, or `sharing` another harness's directory and store; `db`
    /// puts the store elsewhere (e.g. on a small file system). On PostgreSQL (the suite's
    /// second pass, or `database` given) the configuration is copied with `[store] url` and
    /// `password_file` of a new database, or of `database`.
    init(config: String = fixtures.appendingPathComponent("directory/ringback.toml").path,
         sharing other: RingbackHarness? = nil, db: String? = nil, database given: PostgresTestServer.Database? = nil) throws {
        directory = other?.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ringback-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.db = db ?? other?.db ?? directory.appendingPathComponent("ringback.db").path
        guard given != nil || (TestStore.onPostgres && db == nil) else {
            self.config = config
            database = nil
            return
        }
        let database = try given ?? other?.database ?? PostgresTestServer.freshDatabase("e2e")
        self.database = database
        let copy = directory.appendingPathComponent("postgres-" + URL(fileURLWithPath: config).lastPathComponent).path
        try Self.pointed(at: database, String(contentsOfFile: config, encoding: .utf8))
            .write(toFile: copy, atomically: true, encoding: .utf8)
        self.config = copy
    }

    /// A configuration's text with its `[store]` pointed at `database`: the section's own
    /// keys stay (keep_days), its path goes; a new section goes at the end, so that the
    /// lines a test expects in a message stay where they are.
    static func pointed(at database: PostgresTestServer.Database, _ text: String) -> String {
        let keys = ["url = \"\(database.url)\"", "password_file = \"\(database.passwordFile)\""]
        var lines = text.components(separatedBy: "\n")
        guard let header = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "[store]" }) else {
            return text + "\n[store]\n" + keys.joined(separator: "\n") + "\n"
        }
        if let path = lines[(header + 1)...].prefix(while: { !$0.hasPrefix("[") })
            .firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("path") }) {
            lines.remove(at: path)
        }
        lines.insert(contentsOf: keys, at: header + 1)
        return lines.joined(separator: "\n")
    }

    /// What every program is given besides `--config` to find the store.
    var storeArguments: [String] { database == nil ? ["--db", db] : [] }

    /// The store as the tests open it themselves.
    var storeLocation: StoreLocation {
        guard let database else { return .file(db) }
        return .server(url: database.url, passwordFile: database.passwordFile)
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: [String], program: String = "ringback") throws -> Output {
        try run(exactly: arguments + ["--config", config] + storeArguments, program: program)
    }

    /// The program with these arguments and no others.
    func run(exactly arguments: [String], program: String = "ringback") throws -> Output {
        let process = Process()
        process.executableURL = Self.products.appendingPathComponent(program)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Runs a command that must succeed and returns its JSON array.
    func json(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let output = try run(arguments + ["--format", "json"])
        XCTAssertEqual(output.status, 0, "ringback \(arguments): \(output.stderr)", file: file, line: line)
        let parsed = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8), options: [.fragmentsAllowed])
        return try XCTUnwrap(parsed as? [[String: Any]], "not a JSON array: \(output.stdout)", file: file, line: line)
    }

    /// A listing for a polling condition: nil while the command fails (the daemon has not
    /// created the store yet), with no assertion, so only the wait's own deadline fails a test.
    func poll(_ arguments: [String]) -> [[String: Any]] {
        guard let output = try? run(arguments + ["--format", "json"]), output.status == 0,
              let parsed = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) else { return [] }
        return parsed as? [[String: Any]] ?? []
    }

    /// A store with the fixture directory (managers, clients) and the given call fixtures.
    func load(_ callFixtures: String...) throws {
        for kind in ["managers", "clients"] {
            let output = try run(["import", kind, Self.fixtures.appendingPathComponent("directory/\(kind).csv").path])
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        for name in callFixtures {
            let output = try run(["ingest", Self.fixtures.appendingPathComponent("calls/\(name).csv").path])
            XCTAssertEqual(output.status, 0, output.stderr)
        }
    }

    /// What the sqlite3 shell (or psql) prints for `sql` on the store: for facts no command shows.
    func sqlite(_ sql: String) throws -> String {
        guard let database else { return try SQLiteShell.run(sql, on: db) }
        return try PostgresTestServer.psql(sql, on: database)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

extension Dictionary where Key == String, Value == Any {
    /// A field as a string, or nil for JSON null.
    func text(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func bool(_ key: String) -> Bool? { (self[key] as? NSNumber)?.boolValue }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}
