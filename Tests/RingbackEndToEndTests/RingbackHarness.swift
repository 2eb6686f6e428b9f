import Foundation
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
    let db: String

    /// A fresh scratch directory, or `sharing` another harness's directory and store; `db`
    /// puts the store elsewhere (e.g. on a small file system).
    init(config: String = fixtures.appendingPathComponent("directory/ringback.toml").path,
         sharing other: RingbackHarness? = nil, db: String? = nil) throws {
        directory = other?.directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("ringback-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.config = config
        self.db = db ?? other?.db ?? directory.appendingPathComponent("ringback.db").path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: [String], program: String = "ringback") throws -> Output {
        try run(exactly: arguments + ["--config", config, "--db", db], program: program)
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

    /// What the sqlite3 shell prints for `sql` on the store: for facts no command shows.
    func sqlite(_ sql: String) throws -> String { try SQLiteShell.run(sql, on: db) }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

extension Dictionary where Key == String, Value == Any {
    /// A field as a string, or nil for JSON null.
    func text(_ key: String) -> String? { self[key] as? String }
    func int(_ key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    func bool(_ key: String) -> Bool? { (self[key] as? NSNumber)?.boolValue }
    func isNull(_ key: String) -> Bool { self[key] is NSNull }
}
