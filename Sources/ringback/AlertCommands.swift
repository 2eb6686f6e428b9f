import ArgumentParser
import RingbackCore
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
        let rows = try environment.openReader().alerts(at: environment.at, kind: kind, state: state, managerID: manager)
        environment.write(rows.map(Self.record), columns: Self.columns, empty: "No alerts.")
    }

    static let columns = ["alert_id", "kind", "raised_at", "manager_id", "client_id", "number", "call_id", "callback_id",
                          "state", "resolution"]

    static func record(_ a: AlertRecord) -> OutputRecord {
        [("alert_id", .integer(a.alertID)), ("kind", .text(a.kind.rawValue)), ("raised_at", .time(a.raisedAt)),
         ("manager_id", a.managerID.map(OutputValue.text) ?? .null), ("client_id", a.clientID.map(OutputValue.text) ?? .null),
         ("number", a.number.map(OutputValue.text) ?? .null), ("call_id", a.callID.map(OutputValue.text) ?? .null),
         ("callback_id", a.callbackID.map(OutputValue.integer) ?? .null), ("state", .text(a.state.rawValue)),
         ("resolution", a.resolution.map(OutputValue.text) ?? .null)]
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
        try environment.openWriter().acknowledge(alertID: alertID, by: CommandEnvironment.login, now: environment.now)
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
        let store = try environment.openWriter()
        try store.closeCallback(callbackID, reason: reason, by: CommandEnvironment.login, now: environment.now,
                                headID: try store.loadDirectory().head?.id)
        print("Callback \(callbackID) closed: \(reason)")
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
        try environment.openWriter().assignCallback(callbackID, to: manager)
        print("Callback \(callbackID) now belongs to \(manager).")
    }
}
