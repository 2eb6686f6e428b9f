import Foundation

/// The sqlite3 shell on a store file: for facts no command or API shows, and for breaking a
/// store on purpose, through a connection of its own (the store's is not public).
public enum SQLiteShell {
    /// What the shell prints for `sql`, trimmed.
    public static func run(_ sql: String, on database: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-cmd", ".timeout 5000", database, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
