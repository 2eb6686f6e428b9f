import RingbackCore
import RingbackStore

/// The objects of every listing, field for field (SPEC §6): the CLI prints them, the API
/// answers with them, a webhook carries them. One place, so the three never drift apart.
public enum Listings {
    public static let pendingColumns = ["callback_id", "number", "client_id", "client_name", "abc", "manager_id",
                                        "first_missed_at", "last_missed_at", "missed_count", "attempts", "due_at",
                                        "overdue", "state"]

    /// An open callback as `ringback pending` lists it.
    public static func pending(_ p: PendingCallback) -> OutputRecord {
        [("callback_id", .integer(p.callbackID)), ("number", .text(p.number)), ("client_id", text(p.clientID)),
         ("client_name", text(p.clientName)), ("abc", text(p.abc)), ("manager_id", text(p.managerID)),
         ("first_missed_at", .time(p.firstMissedAt)), ("last_missed_at", .time(p.lastMissedAt)),
         ("missed_count", .integer(Int64(p.missedCount))), ("attempts", .integer(Int64(p.attempts))),
         ("due_at", .time(p.dueAt)), ("overdue", .bool(p.overdue)), ("state", .text(CallbackState.open.rawValue))]
    }

    /// A callback in any state (the answer to a write, a webhook's data): the `pending`
    /// fields, then `resolved_at`, `resolved_by` and `late` (SPEC §8.4).
    public static func callback(_ c: CallbackRecord) -> OutputRecord {
        var record = pending(c.callback)
        record[record.count - 1] = ("state", .text(c.state.rawValue))
        record += [("resolved_at", c.resolvedAt.map(OutputValue.time) ?? .null), ("resolved_by", text(c.resolvedBy)),
                   ("late", c.late.map(OutputValue.bool) ?? .null)]
        return record
    }

    public static let missedColumns = ["call_id", "started_at", "number", "client_id", "manager_id", "extension",
                                       "voicemail", "callback_id", "callback_state", "resolved_at", "resolved_by", "late",
                                       "minutes_to_callback"]

    /// A missed inbound call as `ringback missed` lists it.
    public static func missed(_ m: MissedCall) -> OutputRecord {
        let minutes: OutputValue = m.resolvedAt.map { .integer(($0 - m.startedAt) / 60) } ?? .null
        return [("call_id", .text(m.callID)), ("started_at", .time(m.startedAt)),
                ("number", .text(m.number ?? m.rawNumber)), ("client_id", text(m.clientID)),
                ("manager_id", text(m.managerID)), ("extension", text(m.extensionNumber)), ("voicemail", .bool(m.voicemail)),
                ("callback_id", m.callbackID.map(OutputValue.integer) ?? .null),
                ("callback_state", text(m.callbackState?.rawValue)),
                ("resolved_at", m.resolvedAt.map(OutputValue.time) ?? .null), ("resolved_by", text(m.resolvedBy)),
                ("late", m.late.map(OutputValue.bool) ?? .null), ("minutes_to_callback", minutes)]
    }

    public static let alertColumns = ["alert_id", "kind", "raised_at", "manager_id", "client_id", "number", "call_id",
                                      "callback_id", "state", "resolution"]

    /// An alert as `ringback alerts` lists it.
    public static func alert(_ a: AlertRecord) -> OutputRecord {
        [("alert_id", .integer(a.alertID)), ("kind", .text(a.kind.rawValue)), ("raised_at", .time(a.raisedAt)),
         ("manager_id", text(a.managerID)), ("client_id", text(a.clientID)), ("number", text(a.number)),
         ("call_id", text(a.callID)), ("callback_id", a.callbackID.map(OutputValue.integer) ?? .null),
         ("state", .text(a.state.rawValue)), ("resolution", text(a.resolution))]
    }

    private static func text(_ value: String?) -> OutputValue { value.map(OutputValue.text) ?? .null }
}
