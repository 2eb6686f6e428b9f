import RingbackCore
import RingbackStore

/// The alert as the exec hook reads it on standard input: one line of JSON with the names of
/// `ringback alerts --format json`, plus who and what it is about. `alert_id` is stable, so
/// a receiver can drop the rare repeat after a crash.
public enum AlertPayload {
    public static func json(_ job: HookJob, zone: ZoneConverter) -> String {
        let alert = job.alert
        func text(_ value: String?) -> JSONValue { JSONValue.optional(value) { .string($0) } }
        let object: JSONValue = .object([
            ("alert_id", .integer(alert.alertID)), ("kind", .string(alert.kind.rawValue)),
            ("raised_at", .string(zone.iso8601(alert.raisedAt))), ("manager_id", text(alert.managerID)),
            ("manager_name", text(job.managerName)), ("manager_email", text(job.managerEmail)),
            ("client_id", text(alert.clientID)), ("client_name", text(job.clientName)), ("number", text(alert.number)),
            ("call_id", text(alert.callID)), ("callback_id", JSONValue.optional(alert.callbackID) { .integer($0) }),
            ("state", .string(alert.state.rawValue)), ("attempt", .integer(Int64(job.attempt))),
        ])
        return object.compact + "\n"
    }
}
