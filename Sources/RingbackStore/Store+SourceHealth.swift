import RingbackCore

/// Each source's health as `ringback status` shows it.
public struct SourceStatus: Sendable {
    public var name: String
    public var kind: SourceKind
    public var state: SourceState
    public var lastRowAt: Int64?
    public var lastReadAt: Int64?
    public var rows: Int
    public var rejected: Int
    public var pendingBytes: Int64
    public var lastError: String?
    public var updatedAt: Int64

    /// Unread input older than this is lag.
    public static let lagSeconds: Int64 = 60

    /// The state as `status` and `/healthz` judge it at `now`: a daemon source with input
    /// unread for over a minute is lagging. A one-shot `ingest` that stopped halfway is not.
    public func state(at now: Int64) -> SourceState {
        let lagging = kind != .command && pendingBytes > 0 && now - (lastReadAt ?? updatedAt) > Self.lagSeconds
        return state == .ok && lagging ? .lagging : state
    }
}

extension Store {
    public func recordSourceProgress(name: String, kind: SourceKind, rows: Int, rejected: Int, lastRowAt: Int64?,
                                     pendingBytes: Int64, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO sources (name, kind, state, last_row_at, last_read_at, rows, rejected, pending_bytes, updated_at)
            VALUES (?, ?, 'ok', ?, ?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET kind = excluded.kind,
                state = CASE sources.state WHEN 'connected' THEN 'connected' ELSE 'ok' END, last_error = NULL,
                last_row_at = CASE WHEN sources.last_row_at IS NULL OR excluded.last_row_at > sources.last_row_at
                    THEN excluded.last_row_at ELSE sources.last_row_at END,
                last_read_at = excluded.last_read_at, rows = sources.rows + excluded.rows,
                rejected = sources.rejected + excluded.rejected, pending_bytes = excluded.pending_bytes,
                updated_at = excluded.updated_at
            """).run([.text(name), .text(kind.rawValue), SQLValue(lastRowAt), .integer(now), .integer(Int64(rows)),
                      .integer(Int64(rejected)), .integer(pendingBytes), .integer(now)])
    }

    /// A source's state as `status` shows it, with the error that explains it.
    public func recordSourceState(name: String, kind: SourceKind, state: SourceState, error: String?, now: Int64) throws {
        try connection.prepare("""
            INSERT INTO sources (name, kind, state, last_error, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(name) DO UPDATE SET state = ?3, last_error = ?4, updated_at = ?5
            """).run([.text(name), .text(kind.rawValue), .text(state.rawValue), SQLValue(error), .integer(now)])
    }

    public func sourceStatuses() throws -> [SourceStatus] {
        try connection.prepare("""
            SELECT name, kind, state, last_row_at, last_read_at, rows, rejected, pending_bytes, last_error, updated_at
            FROM sources ORDER BY name
            """).rows {
                SourceStatus(name: $0.string(0), kind: try $0.word(1), state: try $0.word(2), lastRowAt: $0.optionalInt(3),
                             lastReadAt: $0.optionalInt(4), rows: Int($0.int(5)), rejected: Int($0.int(6)),
                             pendingBytes: $0.int(7), lastError: $0.optionalString(8), updatedAt: $0.int(9))
            }
    }

    /// Row counts for `status` and tests.
    /// What the daemon's status line says: the newest CDR's time and the overdue callbacks.
    public func daemonSummary(now: Int64) throws -> (lastCDRAt: Int64?, overdue: Int) {
        let last = try connection.prepare("SELECT max(last_row_at) FROM sources").first { $0.optionalInt(0) } ?? nil
        let overdue = try connection.prepare("SELECT count(*) FROM callbacks WHERE state = 'open' AND due_at <= ?")
            .first([.integer(now)]) { Int($0.int(0)) } ?? 0
        return (last, overdue)
    }
}
