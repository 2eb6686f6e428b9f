import RingbackCore

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
    /// The id the next stored leg gets. The pipeline numbers a batch's new legs itself, in
    /// its transaction, so it can store each one once, already linked to its call.
    public func nextLegID() throws -> Int64 {
        try connection.prepare("SELECT coalesce(max(leg_id), 0) + 1 FROM legs").first { $0.int(0) } ?? 1
    }

    /// Whether a leg with this identity is stored (SPEC §5.1).
    public func legExists(start: Int64, digest: LegDigest) throws -> Bool {
        try connection.prepare("SELECT 1 FROM legs WHERE start = ? AND digest = ?")
            .first([.integer(start), .blob(digest.bytes)]) { _ in true } ?? false
    }

    /// Stores a leg the caller has checked is new, with its call when that is already known.
    public func insertLeg(_ leg: CallLeg, id: Int64, digest: LegDigest, callID: String?, source: String, file: String,
                          line: Int, receivedAt: Int64) throws {
        try connection.prepare("""
            INSERT INTO legs (leg_id, digest, call_id, source, file, line, accountcode, src, dst, dcontext, clid, channel,
                dstchannel, lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, uniqueid,
                userfield, peeraccount, linkedid, sequence, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).run([
            .integer(id), .blob(digest.bytes), SQLValue(callID), .text(source), .text(file), .integer(Int64(line)),
            .text(leg.accountCode), .text(leg.source), .text(leg.destination), .text(leg.destinationContext),
            .text(leg.callerID), .text(leg.channel), .text(leg.destinationChannel), .text(leg.lastApplication),
            .text(leg.lastData), .integer(leg.start), SQLValue(leg.answer), .integer(leg.end),
            .integer(Int64(leg.duration)), .integer(Int64(leg.billableSeconds)), .text(leg.disposition.rawValue),
            .text(leg.amaFlags), SQLValue(leg.uniqueID), SQLValue(leg.userField), SQLValue(leg.peerAccount),
            SQLValue(leg.linkedID), SQLValue(leg.sequence), .integer(receivedAt),
        ])
    }

    /// Links legs stored in an earlier batch to the call they turned out to belong to.
    public func assignLegs(_ ids: [Int64], toCall callID: String) throws {
        let statement = try connection.prepare("UPDATE legs SET call_id = ? WHERE leg_id = ?")
        for id in ids { try statement.run([.text(callID), .integer(id)]) }
    }

    /// Legs stored but not yet part of a finished call: after a restart they go back into
    /// the assembler. `sources` limits them to the legs those sources read (held rows belong
    /// to their source: a one-shot `ingest` never completes the daemon's held calls).
    public func waitingLegs(sources: [String]) throws -> [PendingLeg] {
        let sources = Set(sources)
        return try connection.prepare("""
            SELECT leg_id, accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer,
                end, duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence,
                received_at, source
            FROM legs WHERE call_id IS NULL ORDER BY leg_id
            """).rows { row in sources.contains(row.string(23)) ? Self.pendingLeg(row) : nil }.compactMap { $0 }
    }

    /// The latest start of a stored leg: how far the data read so far reaches.
    public func latestLegStart() throws -> Int64? {
        try connection.prepare("SELECT max(start) FROM legs").first { $0.optionalInt(0) } ?? nil
    }

    static func pendingLeg(_ row: Row) -> PendingLeg {
        var leg = CallLeg()
        leg.accountCode = row.string(1)
        leg.source = row.string(2)
        leg.destination = row.string(3)
        leg.destinationContext = row.string(4)
        leg.callerID = row.string(5)
        leg.channel = row.string(6)
        leg.destinationChannel = row.string(7)
        leg.lastApplication = row.string(8)
        leg.lastData = row.string(9)
        leg.start = row.int(10)
        leg.answer = row.optionalInt(11)
        leg.end = row.int(12)
        leg.duration = Int(row.int(13))
        leg.billableSeconds = Int(row.int(14))
        leg.disposition = Disposition(asteriskWord: row.string(15)) ?? .unknown
        leg.amaFlags = row.string(16)
        leg.uniqueID = row.optionalString(17)
        leg.userField = row.optionalString(18)
        leg.peerAccount = row.optionalString(19)
        leg.linkedID = row.optionalString(20)
        leg.sequence = row.optionalInt(21).map(Int.init)
        return PendingLeg(id: row.int(0), leg: leg, receivedAt: row.optionalInt(22) ?? 0)
    }

    // MARK: Checkpoints

    public func checkpoint(source: String, fileKey: String) throws -> Checkpoint? {
        try connection.prepare("SELECT path, offset, line, fingerprint FROM checkpoints WHERE source = ? AND file_key = ?")
            .first([.text(source), .text(fileKey)]) {
                Checkpoint(path: $0.string(0), offset: $0.int(1), line: Int($0.int(2)), fingerprint: $0.blob(3))
            }
    }

    public func saveCheckpoint(source: String, fileKey: String, _ checkpoint: Checkpoint, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO checkpoints (source, file_key, path, offset, line, fingerprint, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(source, file_key) DO UPDATE SET path = excluded.path, offset = excluded.offset,
                line = excluded.line, fingerprint = excluded.fingerprint, updated_at = excluded.updated_at
            """).run([.text(source), .text(fileKey), .text(checkpoint.path), .integer(checkpoint.offset),
                      .integer(Int64(checkpoint.line)), .blob(checkpoint.fingerprint), .integer(now)])
    }

    public func forgetCheckpoint(source: String, fileKey: String) throws {
        try connection.prepare("DELETE FROM checkpoints WHERE source = ? AND file_key = ?").run([.text(source), .text(fileKey)])
    }

    // MARK: Quarantine

    public func quarantine(_ record: RejectedRecord, source: String, dialect: String, timeZone: String, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO quarantine (source, file, line, reason, raw, dialect, time_zone, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).run([.text(source), .text(record.file), .integer(Int64(record.line)), .text(record.reason),
                      .blob(record.raw), .text(dialect), .text(timeZone), .integer(now)])
    }

    // MARK: Source health

    public func recordSourceProgress(name: String, kind: String, rows: Int, rejected: Int, lastRowAt: Int64?,
                                     pendingBytes: Int64, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO sources (name, kind, state, last_row_at, last_read_at, rows, rejected, pending_bytes, updated_at)
            VALUES (?, ?, 'ok', ?, ?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,
                state = CASE sources.state WHEN 'connected' THEN 'connected' ELSE 'ok' END, last_error = NULL,
                last_row_at = coalesce(max(sources.last_row_at, excluded.last_row_at), sources.last_row_at, excluded.last_row_at),
                last_read_at = excluded.last_read_at, rows = sources.rows + excluded.rows,
                rejected = sources.rejected + excluded.rejected, pending_bytes = excluded.pending_bytes,
                updated_at = excluded.updated_at
            """).run([.text(name), .text(kind), SQLValue(lastRowAt), .integer(now), .integer(Int64(rows)),
                      .integer(Int64(rejected)), .integer(pendingBytes), .integer(now)])
    }

    public func recordSourceFailure(name: String, kind: String, error: String, now: Int64) throws {
        try recordSourceState(name: name, kind: kind, state: "failing", error: error, now: now)
    }

    /// A link's state as `status` shows it: `connected`, `login refused`, `retrying`, `failing`.
    public func recordSourceState(name: String, kind: String, state: String, error: String?, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO sources (name, kind, state, last_error, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(name) DO UPDATE SET state = ?3, last_error = ?4, updated_at = ?5
            """).run([.text(name), .text(kind), .text(state), SQLValue(error), .integer(now)])
    }
}
