import ArgumentParser
import RingbackOperations
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
        let rows = try Desk.pending(in: store, at: environment.at, owners: managerID.map(CallbackOwners.manager) ?? .everyone,
                                    overdueOnly: overdue)
        environment.write(rows.map(Listings.pending), columns: Listings.pendingColumns, empty: "No pending callbacks.")
    }
}
