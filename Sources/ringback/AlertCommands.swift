import ArgumentParser
import RingbackCore
import RingbackOperations
import RingbackStore

struct Alerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Alerts: missed_call, callback_overdue, no_contact.",
        discussion: """
            Examples:
              ringback alerts --state open
              ringback alerts --kind no_contact --format json
            """)

    @OptionGroup var options: CommonOptions
    @Option(help: "Only alerts of this kind.") var kind: AlertKind?
    @Option(help: "Only alerts in this state.") var state: AlertState?
    @Option(help: "Only this manager's alerts.") var manager: String?

    func run() throws {
        let environment = try CommandEnvironment(options)
        let rows = try Desk.alerts(in: try environment.openReader(), at: environment.at, kind: kind, state: state,
                                   managerID: manager)
        environment.write(rows.map(Listings.alert), columns: Listings.alertColumns, empty: "No alerts.")
    }
}

struct Ack: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Acknowledge an alert: you have seen it and are on it.",
        discussion: "Example: ringback ack 12")

    @OptionGroup var options: CommonOptions
    @Argument(help: "The alert_id from `ringback alerts`.") var alertID: Int64

    func run() throws {
        let environment = try CommandEnvironment(options)
        _ = try Desk.acknowledge(in: try environment.openWriter(), alertID: alertID, by: CommandEnvironment.login,
                                 now: environment.now)
        print("Alert \(alertID) acknowledged.")
    }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close a callback by hand, with a reason (spam, wrong number, handled by e-mail…).",
        discussion: "Example: ringback resolve 7 --reason \"spam\"")

    @OptionGroup var options: CommonOptions
    @Argument(help: "The callback_id from `ringback pending`.") var callbackID: Int64
    @Option(help: "Why it needs no callback.") var reason: String

    func run() throws {
        let environment = try CommandEnvironment(options)
        _ = try Desk.resolve(in: try environment.openWriter(), callbackID: callbackID, reason: reason,
                             by: CommandEnvironment.login, now: environment.now)
        print("Callback \(callbackID) closed: \(reason)")
    }
}

struct Later: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A call promised for a set time (\"call me at 15:00\"): the callback is due then.",
        discussion: """
            Overdue counts from the promised time; the report's within-SLA keeps the first due time. \
            A time without an offset is in the calendar's zone.

            Example: ringback later 7 --due "2026-03-10 15:00" --note "asked to call after lunch"
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "The callback_id from `ringback pending`.") var callbackID: Int64
    @Option(help: ArgumentHelp("When the call was promised for.", valueName: "time")) var due: String
    @Option(help: "What was promised.") var note: String?

    func run() throws {
        let environment = try CommandEnvironment(options)
        let dueAt = try environment.parseTime(due, option: "--due")
        _ = try Desk.later(in: try environment.openWriter(), callbackID: callbackID, dueAt: dueAt, note: note,
                           now: environment.now)
        print("Callback \(callbackID) is due \(environment.renderer.text(.time(dueAt), forTable: false)).")
    }
}

struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hand an open callback to another manager (holidays, sick leave).",
        discussion: "Example: ringback assign 7 --manager m2")

    @OptionGroup var options: CommonOptions
    @Argument(help: "The callback_id from `ringback pending`.") var callbackID: Int64
    @Option(help: "The manager_id who takes it over.") var manager: String

    func run() throws {
        let environment = try CommandEnvironment(options)
        _ = try Desk.assign(in: try environment.openWriter(), callbackID: callbackID, to: manager, now: environment.now)
        print("Callback \(callbackID) now belongs to \(manager).")
    }
}
