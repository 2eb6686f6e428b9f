import RingbackCore

/// Whether a row is stored, asked on a read-only connection of its own, by one thread at a
/// time (the one decoding a file ahead of the pipeline). A question it cannot answer is a
/// "no": the pipeline then asks the store itself, so nothing is lost either way.
final class SQLiteLegLookup: StoredLegLookup, @unchecked Sendable {
    private let connection: SQLiteConnection

    init(path: String) throws {
        connection = try SQLiteConnection(path: path, readOnly: true)
        try connection.execute("PRAGMA mmap_size = 268435456")
    }

    /// Questions asked in the read transaction open now.
    private var asked = 0

    func isStored(_ identity: RowIdentity) -> Bool {
        // One read transaction for many questions: each of its own would take and drop the
        // WAL's read lock (two system calls a row). A few thousand keep it short, so it never
        // holds a checkpoint back for long.
        if asked == 0 { try? connection.execute("BEGIN DEFERRED") }
        asked += 1
        if asked == 4096 {
            asked = 0
            defer { try? connection.execute("COMMIT") }
        }
        return (try? connection.prepare("SELECT 1 FROM legs WHERE start = ? AND digest = ?")
            .first([.integer(identity.start), .blob(identity.digest.bytes)]) { _ in true }) == true
    }

    deinit { if asked > 0 { try? connection.execute("COMMIT") } }
}

extension Store {
    public func storedLegLookup() throws -> any StoredLegLookup { try SQLiteLegLookup(path: connection.path) }
}
