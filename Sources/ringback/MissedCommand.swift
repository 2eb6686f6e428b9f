import ArgumentParser
import RingbackOperations
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
        let from = try since.map { try environment.parseTime($0, option: "--since") }
        let to = try until.map { try environment.parseTime($0, option: "--until") }
        let rows = try Desk.missed(in: try environment.openReader(), since: from, until: to, at: environment.at,
                                   managerID: manager, zone: environment.zone)
        environment.write(rows.map(Listings.missed), columns: Listings.missedColumns, empty: "No missed calls in this range.")
    }
}
