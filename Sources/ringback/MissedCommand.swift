import ArgumentParser
import RingbackStore

struct Missed: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Missed inbound calls with their callback state, who called back and how long it took.",
        discussion: """
            One row per missed call. Without --since/--until: today (in the [calendar] time zone); \
            with only one of them, the range is open on the other side. \
            A date without a time means that day's midnight; --until is exclusive.

            Examples:
              ringback missed
              ringback missed --since 2026-03-09 --until 2026-03-11 --manager m1
            """)

    @OptionGroup var options: CommonOptions
    @Option(help: ArgumentHelp("From this time or date (inclusive).", valueName: "time")) var since: String?
    @Option(help: ArgumentHelp("Up to this time or date (exclusive).", valueName: "time")) var until: String?
    @Option(help: "Only callbacks owned by this manager.") var manager: String?

    func run() throws {
        let environment = try CommandEnvironment(options)
        let today = environment.zone.dayBounds(containing: environment.at)
        // Neither bound: today. One bound: open on the other side.
        let bothMissing = since == nil && until == nil
        let from = try since.map { try environment.parseTime($0, option: "--since") } ?? (bothMissing ? today.start : .min)
        let to = try until.map { try environment.parseTime($0, option: "--until") } ?? (bothMissing ? today.end : .max)
        let store = try environment.openReader()
        let rows = try store.missed(since: from, until: to, at: environment.at, managerID: manager)
        environment.write(rows.map(Self.record), columns: Self.columns, empty: "No missed calls in this range.")
    }

    static let columns = ["call_id", "started_at", "number", "client_id", "manager_id", "extension", "voicemail",
                          "callback_id", "callback_state", "resolved_at", "resolved_by", "late", "minutes_to_callback"]

    static func record(_ m: MissedCall) -> OutputRecord {
        let minutes: OutputValue = m.resolvedAt.map { .integer(($0 - m.startedAt) / 60) } ?? .null
        return [("call_id", .text(m.callID)), ("started_at", .time(m.startedAt)),
                ("number", .text(m.number ?? m.rawNumber)), ("client_id", m.clientID.map(OutputValue.text) ?? .null),
                ("manager_id", m.managerID.map(OutputValue.text) ?? .null),
                ("extension", m.extensionNumber.map(OutputValue.text) ?? .null), ("voicemail", .bool(m.voicemail)),
                ("callback_id", m.callbackID.map(OutputValue.integer) ?? .null),
                ("callback_state", m.callbackState.map { .text($0.rawValue) } ?? .null),
                ("resolved_at", m.resolvedAt.map(OutputValue.time) ?? .null),
                ("resolved_by", m.resolvedBy.map(OutputValue.text) ?? .null),
                ("late", m.late.map(OutputValue.bool) ?? .null), ("minutes_to_callback", minutes)]
    }
}
