import RingbackCore

extension Store {
    /// Legs a batch may number from one `nextLegID` on PostgreSQL; a batch is one read of at
    /// most 1 MiB of CSV, so at most some 25,000 rows.
    public static let legIDBlock: Int64 = 1 << 20

    /// The id the next stored leg gets; the ids up to `legIDBlock` after it are this batch's.
    /// The pipeline numbers a batch's new legs itself, in its transaction, so it can store
    /// each one once, already linked to its call. SQLite has one writer, which takes the next
    /// after the largest; on PostgreSQL several daemons write at once, and each batch takes a
    /// block of its own from a sequence (which no transaction waits for).
    public func nextLegID() throws -> Int64 {
        try connection.prepare(sqlite: "SELECT coalesce(max(leg_id), 0) + 1 FROM legs",
                               postgres: "SELECT nextval('leg_id_blocks') * 1048576").first { $0.int(0) } ?? 1
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
                dstchannel, lastapp, lastdata, start, answer, "end", duration, billsec, disposition, amaflags, uniqueid,
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
                "end", duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence,
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
}
