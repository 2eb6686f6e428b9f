import RingbackCore

/// Read positions: where each source's file was read up to, committed with its rows.
/// Where a source stopped reading one file.
public struct Checkpoint: Sendable, Equatable {
    public var path: String
    public var offset: Int64
    public var line: Int
    public var fingerprint: [UInt8]
    public init(path: String, offset: Int64, line: Int, fingerprint: [UInt8]) {
        self.path = path
        self.offset = offset
        self.line = line
        self.fingerprint = fingerprint
    }
}

extension Store {
    public func checkpoint(source: String, fileKey: String) throws -> Checkpoint? {
        try connection.prepare("SELECT path, \"offset\", line, fingerprint FROM checkpoints WHERE source = ? AND file_key = ?")
            .first([.text(source), .text(fileKey)]) {
                Checkpoint(path: $0.string(0), offset: $0.int(1), line: Int($0.int(2)), fingerprint: $0.blob(3))
            }
    }

    public func saveCheckpoint(source: String, fileKey: String, _ checkpoint: Checkpoint, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO checkpoints (source, file_key, path, "offset", line, fingerprint, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(source, file_key) DO UPDATE SET path = excluded.path, "offset" = excluded."offset",
                line = excluded.line, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at
            """).run([.text(source), .text(fileKey), .text(checkpoint.path), .integer(checkpoint.offset),
                      .integer(Int64(checkpoint.line)), .blob(checkpoint.fingerprint), .integer(now)])
    }

    public func forgetCheckpoint(source: String, fileKey: String) throws {
        try connection.prepare("DELETE FROM checkpoints WHERE source = ? AND file_key = ?").run([.text(source), .text(fileKey)])
    }
}
