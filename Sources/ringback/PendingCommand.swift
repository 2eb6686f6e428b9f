import ArgumentParser
import RingbackStore

struct Pending: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open callbacks: overdue first, then by ABC group and due time.",
        discussion: """
            Without --manager, a manager sees their own callbacks (their login is looked up in the \
            directory); the head and anyone not in the directory see all. --manager is a filter for \
            convenience, not an access control.

            Examples:
              ringback pending
              ringback pending --manager m1 --overdue
              ringback pending --at "2026-03-10 12:00" --format json
            """)

    @OptionGroup var options: CommonOptions
    @Option(help: "Only this manager's callbacks.") var manager: String?
    @Flag(help: "Only callbacks past their due time.") var overdue = false

    func run() throws {
        let environment = try CommandEnvironment(options)
        let store = try environment.openReader()
        var managerID = manager
        if managerID == nil {
            let login = CommandEnvironment.login
            if let me = try store.loadDirectory().managers.first(where: { $0.login == login && !$0.login.isEmpty }),
               me.role == .manager {
                managerID = me.id
            }
        }
        let rows = try store.pending(at: environment.at, managerID: managerID, overdueOnly: overdue)
        environment.write(rows.map(Self.record), columns: Self.columns, empty: "No pending callbacks.")
    }

    static let columns = ["callback_id", "number", "client_id", "client_name", "abc", "manager_id", "first_missed_at",
                          "last_missed_at", "missed_count", "attempts", "due_at", "overdue", "state"]

    static func record(_ p: PendingCallback) -> OutputRecord {
        [("callback_id", .integer(p.callbackID)), ("number", .text(p.number)), ("client_id", p.clientID.map(OutputValue.text) ?? .null),
         ("client_name", p.clientName.map(OutputValue.text) ?? .null), ("abc", p.abc.map(OutputValue.text) ?? .null),
         ("manager_id", p.managerID.map(OutputValue.text) ?? .null), ("first_missed_at", .time(p.firstMissedAt)),
         ("last_missed_at", .time(p.lastMissedAt)), ("missed_count", .integer(Int64(p.missedCount))),
         ("attempts", .integer(Int64(p.attempts))), ("due_at", .time(p.dueAt)), ("overdue", .bool(p.overdue)),
         ("state", .text("open"))]
    }
}
