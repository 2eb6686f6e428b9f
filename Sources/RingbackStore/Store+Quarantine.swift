import RingbackCore

/// Rows that could not be decoded, kept with their reason until read again or purged.
public struct QuarantinedRecord: Sendable {
    public var id: Int64
    public var source: String
    public var file: String
    public var line: Int
    public var reason: String
    public var raw: [UInt8]
    public var dialect: String
    public var timeZone: String
    public var createdAt: Int64
}

extension Store {
    public func quarantine(_ record: RejectedRecord, source: String, dialect: String, timeZone: String, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO quarantine (source, file, line, reason, raw, dialect, time_zone, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).run([.text(source), .text(record.file), .integer(Int64(record.line)), .text(record.reason),
                      .blob(record.raw), .text(dialect), .text(timeZone), .integer(now)])
    }

    public func quarantined() throws -> [QuarantinedRecord] {
        try connection.prepare("""
            SELECT quarantine_id, source, file, line, reason, raw, dialect, time_zone, created_at FROM quarantine
            ORDER BY quarantine_id
            """).rows {
                QuarantinedRecord(id: $0.int(0), source: $0.string(1), file: $0.string(2), line: Int($0.int(3)),
                                  reason: $0.string(4), raw: $0.blob(5), dialect: $0.string(6), timeZone: $0.string(7),
                                  createdAt: $0.int(8))
            }
    }

    public func removeQuarantined(_ id: Int64) throws {
        try connection.prepare("DELETE FROM quarantine WHERE quarantine_id = ?").run([.integer(id)])
    }

    public func updateQuarantineReason(_ id: Int64, reason: String) throws {
        try connection.prepare("UPDATE quarantine SET reason = ? WHERE quarantine_id = ?").run([.text(reason), .integer(id)])
    }

    public func purgeQuarantine() throws -> Int {
        try connection.prepare("DELETE FROM quarantine").run()
        return connection.changes
    }
}
