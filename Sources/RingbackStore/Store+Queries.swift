import RingbackCore

/// An open callback as `ringback pending` shows it.
public struct PendingCallback: Sendable {
    public var callbackID: Int64
    public var number: String
    public var clientID: String?
    public var clientName: String?
    public var abc: String?
    public var managerID: String?
    public var firstMissedAt: Int64
    public var lastMissedAt: Int64
    public var missedCount: Int
    public var attempts: Int
    public var dueAt: Int64
    public var overdue: Bool
}

/// One missed inbound call with what became of its callback.
public struct MissedCall: Sendable {
    public var callID: String
    public var startedAt: Int64
    public var number: String?
    public var rawNumber: String
    public var clientID: String?
    public var clientName: String?
    public var managerID: String?
    public var extensionNumber: String?
    public var voicemail: Bool
    public var callbackID: Int64?
    public var callbackState: CallbackState?
    public var resolvedAt: Int64?
    public var resolvedBy: String?
    public var late: Bool?
    public var dueAt: Int64?

    public init(callID: String, startedAt: Int64, number: String?, rawNumber: String, clientID: String? = nil,
                clientName: String? = nil, managerID: String?, extensionNumber: String? = nil, voicemail: Bool = false,
                callbackID: Int64?, callbackState: CallbackState?, resolvedAt: Int64? = nil, resolvedBy: String? = nil,
                late: Bool? = nil, dueAt: Int64? = nil) {
        self.callID = callID
        self.startedAt = startedAt
        self.number = number
        self.rawNumber = rawNumber
        self.clientID = clientID
        self.clientName = clientName
        self.managerID = managerID
        self.extensionNumber = extensionNumber
        self.voicemail = voicemail
        self.callbackID = callbackID
        self.callbackState = callbackState
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
        self.late = late
        self.dueAt = dueAt
    }
}

public struct AlertRecord: Sendable {
    public var alertID: Int64
    public var kind: AlertKind
    public var raisedAt: Int64
    public var managerID: String?
    public var clientID: String?
    public var number: String?
    public var callID: String?
    public var callbackID: Int64?
    public var state: AlertState
    public var acknowledgedAt: Int64?
    public var resolvedAt: Int64?
    public var resolution: String?

    public init(alertID: Int64, kind: AlertKind, raisedAt: Int64, managerID: String?, clientID: String?, number: String?,
                callID: String?, callbackID: Int64? = nil, state: AlertState, acknowledgedAt: Int64? = nil,
                resolvedAt: Int64? = nil, resolution: String? = nil) {
        self.alertID = alertID
        self.kind = kind
        self.raisedAt = raisedAt
        self.managerID = managerID
        self.clientID = clientID
        self.number = number
        self.callID = callID
        self.callbackID = callbackID
        self.state = state
        self.acknowledgedAt = acknowledgedAt
        self.resolvedAt = resolvedAt
        self.resolution = resolution
    }
}

/// A request a person made that the store cannot carry out, and why: the CLI prints it,
/// the API answers 404, 409 or 422 with it.
public enum StoreRequestError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No such callback, alert or directory entry.
    case notFound(String)
    /// The callback exists but is no longer open (someone resolved it meanwhile).
    case notOpen(String)
    /// The request names something that does not exist as a value (an unknown manager).
    case invalid(field: String, String)
    /// Not this person's to do (another manager's callback, an extension not theirs).
    case forbidden(String)
    /// Something is under way that this would do twice (a callback's phone ringing already).
    case busy(String)
    /// Asked again too soon (one call request a person in 10 s).
    case tooSoon(String)

    public var description: String {
        switch self {
        case .notFound(let reason), .notOpen(let reason), .invalid(_, let reason), .forbidden(let reason), .busy(let reason),
             .tooSoon(let reason): reason
        }
    }
}

/// One callback in any state: the fields of `pending`, and how it ended.
public struct CallbackRecord: Sendable {
    public var callback: PendingCallback
    public var state: CallbackState
    public var resolvedAt: Int64?
    public var resolvedBy: String?
    /// Resolved after its due time; nil while open.
    public var late: Bool?
}

extension Store {
    /// Callbacks open at `at`: overdue first, then by ABC group and due time (SPEC §6); the
    /// first `limit` of them when given (a page shows so many, and says how many more).
    public func pending(at: Int64, owners: CallbackOwners, overdueOnly: Bool, limit: Int?) throws -> [PendingCallback] {
        try connection.prepare("""
            SELECT cb.callback_id, cb.number, cb.client_id, cl.name, cl.abc, cb.manager_id, cb.first_missed_at,
                -- The counts kept with the callback, unless asked for a time before its latest call.
                CASE WHEN cb.linked_until <= ?1 THEN cb.last_missed_at ELSE
                    (SELECT max(at) FROM callback_calls x WHERE x.callback_id = cb.callback_id AND x.role = 'missed' AND x.at <= ?1) END,
                CASE WHEN cb.linked_until <= ?1 THEN cb.missed_count ELSE
                    (SELECT count(*) FROM callback_calls x WHERE x.callback_id = cb.callback_id AND x.role = 'missed' AND x.at <= ?1) END,
                CASE WHEN cb.linked_until <= ?1 THEN cb.attempt_count ELSE
                    (SELECT count(*) FROM callback_calls x WHERE x.callback_id = cb.callback_id AND x.role = 'attempt' AND x.at <= ?1) END,
                cb.due_at
            FROM callbacks cb LEFT JOIN clients cl ON cl.client_id = cb.client_id
            WHERE cb.callback_id IN (
                    -- Open at ?1: still open (everyone's, the manager's ?3, the unassigned when
                    -- ?4), or resolved after ?1. Each part has its index; a part whose constant
                    -- condition is false is never run.
                    SELECT callback_id FROM callbacks WHERE ?2 = 1 AND state = 'open'
                    UNION ALL
                    SELECT callback_id FROM callbacks INDEXED BY callbacks_manager WHERE manager_id = ?3 AND state = 'open'
                    UNION ALL
                    SELECT callback_id FROM callbacks INDEXED BY callbacks_manager
                    WHERE ?4 = 1 AND manager_id IS NULL AND state = 'open'
                    UNION ALL
                    SELECT callback_id FROM callbacks WHERE resolved_at > ?1)
              AND cb.first_missed_at <= ?1
              AND (?2 = 1 OR cb.manager_id = ?3 OR (?4 = 1 AND cb.manager_id IS NULL)) AND (?5 = 0 OR cb.due_at <= ?1)
            ORDER BY cb.due_at > ?1, CASE cl.abc WHEN 'A' THEN 0 WHEN 'B' THEN 1 WHEN 'C' THEN 2 ELSE 3 END, cb.due_at, cb.callback_id
            LIMIT ?6
            """).rows(Self.pendingParameters(at: at, owners: owners, overdueOnly: overdueOnly) + [.integer(Int64(limit ?? Int.max))]) { row in
                PendingCallback(callbackID: row.int(0), number: row.string(1), clientID: row.optionalString(2),
                                clientName: row.optionalString(3), abc: row.optionalString(4), managerID: row.optionalString(5),
                                firstMissedAt: row.int(6), lastMissedAt: row.optionalInt(7) ?? row.int(6),
                                missedCount: Int(row.int(8)), attempts: Int(row.int(9)), dueAt: row.int(10),
                                overdue: row.int(10) <= at)
            }
    }

    /// How many callbacks `pending` lists without a limit; `office`: only those opened by that
    /// office's calls (nil: every office's).
    public func pendingCount(at: Int64, owners: CallbackOwners, overdueOnly: Bool, office: String?) throws -> Int {
        Int(try connection.prepare("""
            SELECT count(*) FROM callbacks cb
            WHERE cb.callback_id IN (
                    SELECT callback_id FROM callbacks WHERE ?2 = 1 AND state = 'open'
                    UNION ALL
                    SELECT callback_id FROM callbacks INDEXED BY callbacks_manager WHERE manager_id = ?3 AND state = 'open'
                    UNION ALL
                    SELECT callback_id FROM callbacks INDEXED BY callbacks_manager
                    WHERE ?4 = 1 AND manager_id IS NULL AND state = 'open'
                    UNION ALL
                    SELECT callback_id FROM callbacks WHERE resolved_at > ?1)
              AND cb.first_missed_at <= ?1
              AND (?2 = 1 OR cb.manager_id = ?3 OR (?4 = 1 AND cb.manager_id IS NULL)) AND (?5 = 0 OR cb.due_at <= ?1)
              AND (?6 IS NULL OR cb.office = ?6)
            """).first(Self.pendingParameters(at: at, owners: owners, overdueOnly: overdueOnly) + [SQLValue(office)]) { $0.int(0) } ?? 0)
    }

    private static func pendingParameters(at: Int64, owners: CallbackOwners, overdueOnly: Bool) -> [SQLValue] {
        let (everyone, managerID, unassigned): (Bool, String?, Bool) = switch owners {
        case .everyone: (true, nil, false)
        case .manager(let id): (false, id, false)
        case .unassigned: (false, nil, true)
        case .managerAndUnassigned(let id): (false, id, true)
        }
        return [.integer(at), SQLValue(everyone), SQLValue(managerID), SQLValue(unassigned), SQLValue(overdueOnly)]
    }

    /// Missed inbound calls that started in `[since, until)` by `at`: the count of `missed`.
    public func missedCount(since: Int64, until: Int64, at: Int64, office: String?) throws -> Int {
        Int(try connection.prepare("""
            SELECT count(*) FROM calls INDEXED BY calls_missed
            WHERE direction = 'inbound' AND answered = 0 AND ignored = 0 AND started_at >= ?1 AND started_at < ?2 AND started_at <= ?3
              AND (?4 IS NULL OR office = ?4)
            """).first([.integer(since), .integer(until), .integer(at), SQLValue(office)]) { $0.int(0) } ?? 0)
    }

    /// Missed inbound calls that started in `[since, until)` and by `at`, with their
    /// callback's state as of `at`.
    public func missed(since: Int64, until: Int64, at: Int64, managerID: String?, office: String?) throws -> [MissedCall] {
        try connection.prepare("""
            SELECT c.call_id, c.started_at, c.number, c.raw_number, c.client_id, cl.name, coalesce(cb.manager_id, c.manager_id),
                c.extension, c.voicemail, c.callback_id, cb.state, cb.resolved_at, cb.resolved_by, cb.due_at
            FROM calls c
            LEFT JOIN callbacks cb ON cb.callback_id = c.callback_id
            LEFT JOIN clients cl ON cl.client_id = c.client_id
            WHERE c.direction = 'inbound' AND c.answered = 0 AND c.ignored = 0 AND c.started_at >= ?1 AND c.started_at < ?2 AND c.started_at <= ?3
              AND (?4 IS NULL OR coalesce(cb.manager_id, c.manager_id) = ?4) AND (?5 IS NULL OR c.office = ?5)
            ORDER BY c.started_at, c.call_id
            """).rows([.integer(since), .integer(until), .integer(at), SQLValue(managerID), SQLValue(office)]) { row in
                let callbackID = row.optionalInt(9)
                let resolvedAt = row.optionalInt(11).flatMap { $0 <= at ? $0 : nil }
                let dueAt = row.optionalInt(13)
                return MissedCall(
                    callID: row.string(0), startedAt: row.int(1), number: row.optionalString(2), rawNumber: row.string(3),
                    clientID: row.optionalString(4), clientName: row.optionalString(5), managerID: row.optionalString(6),
                    extensionNumber: row.optionalString(7), voicemail: row.int(8) != 0, callbackID: callbackID,
                    callbackState: callbackID == nil ? nil : resolvedAt == nil ? .open : try row.word(10),
                    resolvedAt: resolvedAt, resolvedBy: resolvedAt == nil ? nil : row.optionalString(12),
                    late: resolvedAt.flatMap { r in dueAt.map { r > $0 } }, dueAt: dueAt)
            }
    }

    /// Alerts raised by `at`, with their state as of `at`; `id`: only that one.
    public func alerts(at: Int64, kind: AlertKind?, state: AlertState?, managerID: String?,
                       id: Int64?) throws -> [AlertRecord] {
        try connection.prepare("""
            SELECT alert_id, kind, raised_at, manager_id, client_id, number, call_id, callback_id, acknowledged_at,
                resolved_at, resolution
            FROM alerts WHERE raised_at <= ?1 AND (?2 IS NULL OR kind = ?2) AND (?3 IS NULL OR manager_id = ?3)
              AND (?5 IS NULL OR alert_id = ?5)
              AND CASE ?4
                WHEN 'resolved' THEN resolved_at <= ?1
                WHEN 'acknowledged' THEN (resolved_at IS NULL OR resolved_at > ?1) AND acknowledged_at <= ?1
                WHEN 'open' THEN (resolved_at IS NULL OR resolved_at > ?1) AND (acknowledged_at IS NULL OR acknowledged_at > ?1)
                ELSE TRUE END
            ORDER BY raised_at, alert_id
            """).rows([.integer(at), SQLValue(kind?.rawValue), SQLValue(managerID), SQLValue(state?.rawValue),
                       SQLValue(id)]) { try Self.alert($0, at: at) }
    }

    /// The newest `limit` alerts not resolved by `at` (a manager's, or everyone's), newest
    /// first: what `/alerts` shows, read from the index of the unresolved.
    public func unresolvedAlerts(at: Int64, managerID: String?, limit: Int) throws -> [AlertRecord] {
        try connection.prepare("""
            SELECT alert_id, kind, raised_at, manager_id, client_id, number, call_id, callback_id, acknowledged_at,
                resolved_at, resolution
            FROM alerts INDEXED BY alerts_unresolved
            WHERE resolved_at IS NULL AND raised_at <= ?1 AND (?2 IS NULL OR manager_id = ?2)
            ORDER BY raised_at DESC, alert_id DESC LIMIT ?3
            """).rows([.integer(at), SQLValue(managerID), .integer(Int64(limit))]) { try Self.alert($0, at: at) }
    }

    /// The alerts of `kind` raised in `[since, until)` by `at`, as of `at`: the report's
    /// no-contact list, read from the index by time.
    public func alertsRaised(kind: AlertKind, since: Int64, until: Int64, at: Int64, office: String?) throws -> [AlertRecord] {
        try connection.prepare("""
            SELECT alert_id, kind, raised_at, manager_id, client_id, number, call_id, callback_id, acknowledged_at,
                resolved_at, resolution
            FROM alerts INDEXED BY alerts_raised
            WHERE raised_at >= ?1 AND raised_at < ?2 AND raised_at <= ?3 AND kind = ?4 AND (?5 IS NULL OR office = ?5)
            ORDER BY raised_at, alert_id
            """).rows([.integer(since), .integer(until), .integer(at), .text(kind.rawValue), SQLValue(office)]) {
                try Self.alert($0, at: at)
            }
    }

    /// An alert's row (the columns of `alerts`) as of `at`.
    static func alert(_ row: Row, at: Int64) throws -> AlertRecord {
        let acknowledged = row.optionalInt(8).flatMap { $0 <= at ? $0 : nil }
        let resolved = row.optionalInt(9).flatMap { $0 <= at ? $0 : nil }
        return AlertRecord(alertID: row.int(0), kind: try row.word(1), raisedAt: row.int(2),
                           managerID: row.optionalString(3), clientID: row.optionalString(4),
                           number: row.optionalString(5), callID: row.optionalString(6),
                           callbackID: row.optionalInt(7),
                           state: AlertState(acknowledgedAt: acknowledged, resolvedAt: resolved),
                           acknowledgedAt: acknowledged, resolvedAt: resolved,
                           resolution: resolved == nil ? nil : row.optionalString(10))
    }

    public func acknowledge(alertID: Int64, by login: String, now: Int64) throws {
        try transaction {
            guard try connection.prepare("SELECT 1 FROM alerts WHERE alert_id = ?").first([.integer(alertID)], { _ in true }) == true
            else { throw StoreRequestError.notFound("no alert \(alertID)") }
            try connection.prepare("""
                UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE alert_id = ? AND acknowledged_at IS NULL
                """).run([.integer(now), .text(login), .integer(alertID)])
        }
    }

    /// Manual close (SPEC §4.2), credited to the login that made it.
    public func closeCallback(_ id: Int64, reason: String, by login: String, now: Int64, headID: String?) throws {
        try transaction {
            let due = try openCallbackDue(id)
            try resolveCallback(id, resolution: .closed, at: now, by: login, callID: nil, reason: reason,
                                late: now > due, dueAt: due, headID: headID)
        }
    }

    /// `ringback later`: the callback is due at `dueAt`, a time promised to the client; the
    /// first due time is kept for the report.
    public func promiseCallback(_ id: Int64, dueAt: Int64, note: String?, now: Int64) throws {
        try transaction {
            _ = try openCallbackDue(id)
            guard dueAt > now else { throw StoreRequestError.invalid(field: "due_at", "the promised time has passed already") }
            try connection.prepare("""
                UPDATE callbacks SET sla_due_at = coalesce(sla_due_at, due_at), due_at = ?, promise_note = ? WHERE callback_id = ?
                """).run([.integer(dueAt), SQLValue(note), .integer(id)])
        }
    }

    public func assignCallback(_ id: Int64, to managerID: String) throws {
        try transaction {
            _ = try openCallbackDue(id)
            guard try connection.prepare("SELECT 1 FROM managers WHERE manager_id = ?").first([.text(managerID)], { _ in true }) == true
            else { throw StoreRequestError.invalid(field: "manager_id", "no manager \(managerID) in the directory") }
            // Set by hand: it stays when the directory changes (SPEC §9.2).
            try connection.prepare("UPDATE callbacks SET assigned_by_hand = 1 WHERE callback_id = ?").run([.integer(id)])
            try connection.prepare("UPDATE callbacks SET manager_id = ?1 WHERE callback_id = ?2 AND manager_id IS DISTINCT FROM ?1")
                .run([.text(managerID), .integer(id)])
            guard connection.changes == 1 else { return }
            try connection.prepare("UPDATE alerts SET manager_id = ? WHERE callback_id = ? AND resolved_at IS NULL")
                .run([.text(managerID), .integer(id)])
            try fileWebhookEvent(.callbackAssigned, happenedAt: nil, callbackID: id, alertID: nil)
        }
    }

    /// The due time of callback `id`, which must exist and be open.
    private func openCallbackDue(_ id: Int64) throws -> Int64 {
        guard let (state, due) = try connection.prepare("SELECT state, due_at FROM callbacks WHERE callback_id = ?")
            .first([.integer(id)], { ($0.string(0), $0.int(1)) })
        else { throw StoreRequestError.notFound("no callback \(id)") }
        guard state == CallbackState.open.rawValue else {
            throw StoreRequestError.notOpen("callback \(id) is no longer open: it is \(state)")
        }
        return due
    }

    /// Callback `id` in whatever state it is at `at`, with the fields of `pending`.
    public func callback(_ id: Int64, at: Int64) throws -> CallbackRecord? {
        try connection.prepare("""
            SELECT cb.callback_id, cb.number, cb.client_id, cl.name, cl.abc, cb.manager_id, cb.first_missed_at,
                CASE WHEN cb.linked_until <= ?2 THEN cb.last_missed_at ELSE
                    (SELECT max(at) FROM callback_calls x WHERE x.callback_id = cb.callback_id AND x.role = 'missed' AND x.at <= ?2) END,
                CASE WHEN cb.linked_until <= ?2 THEN cb.missed_count ELSE
                    (SELECT count(*) FROM callback_calls x WHERE x.callback_id = cb.callback_id AND x.role = 'missed' AND x.at <= ?2) END,
                CASE WHEN cb.linked_until <= ?2 THEN cb.attempt_count ELSE
                    (SELECT count(*) FROM callback_calls x WHERE x.callback_id = cb.callback_id AND x.role = 'attempt' AND x.at <= ?2) END,
                cb.due_at, cb.state, cb.resolved_at, cb.resolved_by
            FROM callbacks cb LEFT JOIN clients cl ON cl.client_id = cb.client_id
            WHERE cb.callback_id = ?1
            """).first([.integer(id), .integer(at)]) { row in
                let resolvedAt = row.optionalInt(12).flatMap { $0 <= at ? $0 : nil }
                let due = row.int(10)
                let pending = PendingCallback(
                    callbackID: row.int(0), number: row.string(1), clientID: row.optionalString(2),
                    clientName: row.optionalString(3), abc: row.optionalString(4), managerID: row.optionalString(5),
                    firstMissedAt: row.int(6), lastMissedAt: row.optionalInt(7) ?? row.int(6), missedCount: Int(row.int(8)),
                    attempts: Int(row.int(9)), dueAt: due, overdue: resolvedAt == nil && due <= at)
                return CallbackRecord(callback: pending, state: resolvedAt == nil ? .open : try row.word(11),
                                      resolvedAt: resolvedAt, resolvedBy: resolvedAt == nil ? nil : row.optionalString(13),
                                      late: resolvedAt.map { $0 > due })
            }
    }

    public func counts() throws -> [String: Int] {
        var result: [String: Int] = [:]
        for table in ["legs", "calls", "callbacks", "alerts", "quarantine", "contacts", "clients", "managers"] {
            // Table names cannot be bound; these come from the fixed list above.
            result[table] = Int(try connection.prepareUncached("SELECT count(*) FROM \(table)").first { $0.int(0) } ?? 0)
        }
        result["open_callbacks"] = Int(try connection.prepare("SELECT count(*) FROM callbacks WHERE state = 'open'").first { $0.int(0) } ?? 0)
        return result
    }
}
