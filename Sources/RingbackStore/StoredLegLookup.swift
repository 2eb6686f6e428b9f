import RingbackCore

/// Which rows are stored, asked on a read-only connection of its own, by one thread at a
/// time (the one decoding a file ahead of the pipeline). A question it cannot answer is a
/// "no": the pipeline then asks the store itself, so nothing is lost either way.
final class ConnectionLegLookup: StoredLegLookup, @unchecked Sendable {
    private let connection: Connection

    init(_ connection: Connection) { self.connection = connection }

    /// The rows of one read of a file start within a few minutes of each other: the stored
    /// identities of that span are read in one pass of the identity index, then looked up
    /// in memory. A span holding many more stored rows than asked about (one row of last
    /// year among today's) is asked about row by row instead.
    func areStored(_ identities: [RowIdentity]) -> [Bool] {
        guard let first = identities.map(\.start).min(), let last = identities.map(\.start).max() else { return [] }
        let most = identities.count * 4
        // The digest covers the start: it alone tells the rows of one span apart.
        var stored = Set<LegDigest>(minimumCapacity: identities.count)
        var span = 0
        do {
            try connection.prepare("SELECT digest FROM legs WHERE start BETWEEN ? AND ? LIMIT ?")
                .rows([.integer(first), .integer(last), .integer(Int64(most + 1))]) { row -> Void in
                    span += 1
                    if let digest = row.digest(0) { stored.insert(digest) }
                }
        } catch {
            span = .max
        }
        guard span <= most else {
            return identities.map { identity in
                (try? connection.prepare("SELECT 1 FROM legs WHERE start = ? AND digest = ?")
                    .first([.integer(identity.start), .blob(identity.digest.bytes)]) { _ in true }) == true
            }
        }
        return identities.map { stored.contains($0.digest) }
    }
}

extension Store {
    public func storedLegLookup() throws -> any StoredLegLookup {
        switch connection {
        case .sqlite(let sqlite):
            let reader = try SQLiteConnection(path: sqlite.path, readOnly: true)
            try reader.execute("PRAGMA mmap_size = 268435456")
            return ConnectionLegLookup(.sqlite(reader))
        case .postgres(let postgres):
            return ConnectionLegLookup(.postgres(try PostgresConnection(url: postgres.url, password: postgres.password)))
        }
    }
}
