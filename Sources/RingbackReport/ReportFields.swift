import RingbackCore
import RingbackStore

/// The report as named fields, shared by the JSON and CSV renderers so both use the same
/// names (CSV headers are the JSON names, SPEC §6).
struct ReportFields {
    let report: MissedCallReport
    let zone: ZoneConverter

    func time(_ instant: Int64?) -> JSONValue { JSONValue.optional(instant) { .string(zone.iso8601($0)) } }
    func text(_ value: String?) -> JSONValue { JSONValue.optional(value) { .string($0) } }

    var summary: [(String, JSONValue)] {
        [("period", .string(report.period.kind.rawValue)), ("period_label", .string(report.period.label)),
         ("from", time(report.period.start)), ("until", time(report.period.end)),
         ("generated_at", time(report.generatedAt)),
         ("missed_calls", .integer(Int64(report.missedCalls))),
         ("callbacks_opened", .integer(Int64(report.callbacksOpened))),
         ("within_sla", .integer(Int64(report.withinSLA))),
         ("within_sla_percent", JSONValue.optional(report.withinSLAPercent) { .number($0) }),
         ("median_minutes_to_callback", JSONValue.optional(report.medianMinutesToCallback) { .integer(Int64($0)) }),
         ("p90_minutes_to_callback", JSONValue.optional(report.p90MinutesToCallback) { .integer(Int64($0)) }),
         ("dormant_days", .integer(Int64(report.dormantDays))), ("office", text(report.office))]
    }

    var managers: [[(String, JSONValue)]] {
        report.managers.map { row in
            [("manager_id", text(row.managerID)), ("name", .string(row.name)), ("missed", .integer(Int64(row.missed))),
             ("called_back", .integer(Int64(row.calledBack))), ("late", .integer(Int64(row.late))),
             ("still_open", .integer(Int64(row.stillOpen))), ("no_contact", .integer(Int64(row.noContact)))]
        }
    }

    var overdue: [[(String, JSONValue)]] {
        report.overdue.map { cb in
            [("callback_id", .integer(cb.callbackID)), ("number", .string(cb.number)), ("client_id", text(cb.clientID)),
             ("client_name", text(cb.clientName)), ("manager_id", text(cb.managerID)),
             ("first_missed_at", time(cb.firstMissedAt)), ("due_at", time(cb.dueAt)), ("state", .string(cb.state.rawValue)),
             ("resolved_at", time(cb.resolvedAt)), ("resolved_by", text(cb.resolvedBy))]
        }
    }

    var noContact: [[(String, JSONValue)]] {
        report.noContact.map { alert in
            [("alert_id", .integer(alert.alertID)), ("raised_at", time(alert.raisedAt)),
             ("manager_id", text(alert.managerID)), ("client_id", text(alert.clientID)), ("number", text(alert.number)),
             ("call_id", text(alert.callID)), ("state", .string(alert.state.rawValue))]
        }
    }

    var missedByHour: [[(String, JSONValue)]] {
        report.missedByHour.enumerated().map { [("hour", .integer(Int64($0.offset))), ("missed", .integer(Int64($0.element)))] }
    }

    var dormant: [[(String, JSONValue)]] {
        report.dormantAClients.map { client in
            [("client_id", .string(client.clientID)), ("name", .string(client.name)), ("manager_id", text(client.managerID)),
             ("last_answered_call_at", time(client.lastAnsweredCallAt)), ("last_contact_at", time(client.lastContactAt)),
             ("days_silent", JSONValue.optional(client.daysSilent) { .integer(Int64($0)) })]
        }
    }

    /// One top-level array holding the report object, as every JSON answer of the CLI is an array.
    var json: String {
        let object: JSONValue = .object(summary + [
            ("managers", .array(managers.map(JSONValue.object))),
            ("overdue", .array(overdue.map(JSONValue.object))),
            ("no_contact", .array(noContact.map(JSONValue.object))),
            ("missed_by_hour", .array(report.missedByHour.map { .integer(Int64($0)) })),
            ("dormant_a_clients", .array(dormant.map(JSONValue.object))),
        ])
        return JSONValue.array([object]).serialized() + "\n"
    }

    /// The sections one after another, each with its own header row; the first column names
    /// the section so that a spreadsheet filter separates them.
    var csv: String {
        func cell(_ value: JSONValue) -> String {
            let raw: String
            switch value {
            case .null: raw = ""
            case .string(let s): raw = s
            default: raw = value.serialized()
            }
            return raw.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + raw.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : raw
        }
        func block(_ name: String, _ rows: [[(String, JSONValue)]], header: [String]) -> String {
            var lines = [(["section"] + header).joined(separator: ",")]
            for row in rows { lines.append(([name] + row.map { cell($0.1) }).joined(separator: ",")) }
            return lines.joined(separator: "\n") + "\n"
        }
        func names(_ sample: [(String, JSONValue)]) -> [String] { sample.map(\.0) }
        return [
            block("summary", [summary], header: names(summary)),
            block("managers", managers, header: Self.managerColumns),
            block("overdue", overdue, header: Self.overdueColumns),
            block("no_contact", noContact, header: Self.noContactColumns),
            block("missed_by_hour", missedByHour, header: ["hour", "missed"]),
            block("dormant_a_clients", dormant, header: Self.dormantColumns),
        ].joined(separator: "\n")
    }

    static let managerColumns = ["manager_id", "name", "missed", "called_back", "late", "still_open", "no_contact"]
    static let overdueColumns = ["callback_id", "number", "client_id", "client_name", "manager_id", "first_missed_at",
                                 "due_at", "state", "resolved_at", "resolved_by"]
    static let noContactColumns = ["alert_id", "raised_at", "manager_id", "client_id", "number", "call_id", "state"]
    static let dormantColumns = ["client_id", "name", "manager_id", "last_answered_call_at", "last_contact_at", "days_silent"]
}
