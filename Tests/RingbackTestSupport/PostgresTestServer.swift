import Foundation

/// The tests' own PostgreSQL server (scripts/postgres-server.sh): the one the test command
/// started (RINGBACK_TEST_POSTGRES_DIR), or one this test process starts, shared by every
/// test process of the machine. Each test gets a database of its own.
public enum PostgresTestServer {
    public struct Database: Sendable {
        /// A URL without the password, as the configuration would hold it.
        public var url: String
        public var passwordFile: String
        public var password: String { (try? String(contentsOfFile: passwordFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "" }
        public var name: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The server's folder (socket, password file) and its base URL, asked once a process:
    /// every child process is one more chance for Foundation's `waitUntilExit` on Linux to
    /// miss an exit (seen once: a test waiting for an flock that had ended).
    static func server() throws -> (directory: String, url: String) { try started.get() }

    private static let started = Result { try startServer() }

    private static func startServer() throws -> (directory: String, url: String) {
        let environment = ProcessInfo.processInfo.environment
        let directory = environment["RINGBACK_TEST_POSTGRES_DIR"] ?? "/tmp/ringback-test-postgres-\(getuid())"
        let port = environment["RINGBACK_TEST_POSTGRES_PORT"] ?? "55432"
        // Idempotent and under a lock, which the server itself must not inherit (-o):
        // parallel test processes start it once.
        let url = try run("/usr/bin/flock", ["-o", directory + ".lock", root.path + "/scripts/postgres-server.sh", "start", directory, port])
        return (directory, url)
    }

    /// A new, empty database on the tests' server.
    public static func freshDatabase(_ label: String = "test") throws -> Database {
        let (directory, base) = try server()
        let name = "\(String(label.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.prefix(40)))_\(UUID().uuidString.prefix(8).lowercased())"
        _ = try psql("CREATE DATABASE \(name)", directory: directory, base: base)
        let url = base.replacingOccurrences(of: "/postgres", with: "/\(name)")
        return Database(url: url, passwordFile: directory + "/password", name: name)
    }

    /// What psql prints for `sql` on the database (through the server's socket, as its owner).
    public static func psql(_ sql: String, on database: Database) throws -> String {
        let (directory, base) = try server()
        return try psql(sql, directory: directory, base: base, name: database.name)
    }

    static func psql(_ sql: String, directory: String, base: String, name: String = "postgres") throws -> String {
        let port = URLComponents(string: base)?.port.map(String.init) ?? "55432"
        return try run("/usr/bin/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", port, "-U", "ringback",
                                         "-d", name, "-c", sql])
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problem = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PostgresTestServerError(message: "\(executable) \(arguments.joined(separator: " ")): "
                                          + String(decoding: problem, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct PostgresTestServerError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
