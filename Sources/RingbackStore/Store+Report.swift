import RingbackCore

/// A callback as the head's report counts it, with its state as of the report's time.
public struct ReportCallback: Sendable, Equatable {
    public var callbackID: Int64
    public var number: String
    public var clientID: String?
    public var clientName: String?
    public var managerID: String?
    public var firstMissedAt: Int64
    public var dueAt: Int64
    public var state: CallbackState
    public var resolvedAt: Int64?
    public var resolvedBy: String?

    public init(callbackID: Int64, number: String, clientID: String?, clientName: String?, managerID: String?,
                firstMissedAt: Int64, dueAt: Int64, state: CallbackState, resolvedAt: Int64?, resolvedBy: String?) {
        self.callbackID = callbackID
        self.number = number
        self.clientID = clientID
        self.clientName = clientName
        self.managerID = managerID
        self.firstMissedAt = firstMissedAt
        self.dueAt = dueAt
        self.state = state
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
    }
}

/// A client of one ABC group and the last time anyone spoke to them.
public struct ClientActivity: Sendable, Equatable {
    public var clientID: String
    public var name: String
    public var managerID: String?
    public var lastAnsweredCallAt: Int64?
    public var lastContactAt: Int64?

    public init(clientID: String, name: String, managerID: String?, lastAnsweredCallAt: Int64?, lastContactAt: Int64?) {
        self.clientID = clientID
        self.name = name
        self.managerID = managerID
        self.lastAnsweredCallAt = lastAnsweredCallAt
        self.lastContactAt = lastContactAt
    }
}

extension Store {
    /// Callbacks whose first missed call started in `[since, until)` and by `at`.
    public func callbacksOpened(since: Int64, until: Int64, at: Int64, office: String?) throws -> [ReportCallback] {
        try connection.prepare("""
            SELECT cb.callback_id, cb.number, cb.client_id, cl.name, cb.manager_id, cb.first_missed_at,
                coalesce(cb.sla_due_at, cb.due_at),
                cb.state, cb.resolved_at, cb.resolved_by
            FROM callbacks cb LEFT JOIN clients cl ON cl.client_id = cb.client_id
            WHERE cb.first_missed_at >= ?1 AND cb.first_missed_at < ?2 AND cb.first_missed_at <= ?3
              AND (?4 IS NULL OR cb.office = ?4)
            ORDER BY cb.first_missed_at, cb.callback_id
            """).rows([.integer(since), .integer(until), .integer(at), SQLValue(office)]) { row in
                let resolvedAt = row.optionalInt(8).flatMap { $0 <= at ? $0 : nil }
                return ReportCallback(callbackID: row.int(0), number: row.string(1), clientID: row.optionalString(2),
                                      clientName: row.optionalString(3), managerID: row.optionalString(4),
                                      firstMissedAt: row.int(5), dueAt: row.int(6),
                                      state: resolvedAt == nil ? .open : try row.word(7), resolvedAt: resolvedAt,
                                      resolvedBy: resolvedAt == nil ? nil : row.optionalString(9))
            }
    }

    /// Every client of `abc` with its last answered call (either direction) and its last CRM
    /// contact (by client or by one of its numbers), both by `at`.
    public func clientActivity(abc: String, at: Int64) throws -> [ClientActivity] {
        try connection.prepare("""
            SELECT cl.client_id, cl.name, cl.manager_id,
                (SELECT max(c.started_at) FROM calls c
                 WHERE c.client_id = cl.client_id AND c.answered = 1 AND c.started_at <= ?2),
                (SELECT max(created_at) FROM (
                    SELECT ct.created_at FROM contacts ct WHERE ct.client_id = cl.client_id AND ct.created_at <= ?2
                    UNION ALL
                    SELECT ct.created_at FROM client_phones p JOIN contacts ct ON ct.phone = p.number
                    WHERE p.client_id = cl.client_id AND ct.created_at <= ?2) AS either)
            FROM clients cl WHERE cl.abc = ?1 ORDER BY cl.client_id
            """).rows([.text(abc), .integer(at)]) { row in
                ClientActivity(clientID: row.string(0), name: row.string(1), managerID: row.optionalString(2),
                               lastAnsweredCallAt: row.optionalInt(3), lastContactAt: row.optionalInt(4))
            }
    }
}
