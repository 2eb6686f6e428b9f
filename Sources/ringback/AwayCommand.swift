import ArgumentParser
import Foundation
import RingbackStore

/// `ringback away LOGIN --until DATE` / `--back` (SPEC §9.2): while a manager is away, a new
/// callback that would be theirs waits in the unassigned queue and the route does not ring
/// them; their open callbacks stay theirs.
struct Away: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a manager away until a date (inclusive), or back.",
        discussion: """
            DATE is the last day away, in the calendar's zone. Their open callbacks stay theirs (the \
            head may reassign them); new ones go to the unassigned queue; GET /api/v1/route answers \
            null for them.

            Example: ringback away anna --until 2026-12-14
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "The manager's login.") var login: String
    @Option(help: ArgumentHelp("The last day away.", valueName: "date")) var until: String?
    @Flag(help: "Back at work: the absence ends now.") var back = false

    func run() throws {
        let environment = try CommandEnvironment(options)
        guard (until != nil) != back else {
            throw CommandFailure(message: "give --until DATE or --back", status: ExitStatus.badInput)
        }
        // The end of the last day away: the start of the next one.
        let end = try until.map { environment.zone.dayBounds(containing: try environment.parseTime($0, option: "--until")).end }
        guard try environment.openWriter().setAway(login: login, until: end) else {
            throw CommandFailure(message: "no manager with the login \(login) in the directory", status: ExitStatus.badInput)
        }
        print(until.map { "\(login) is away until \($0) inclusive." } ?? "\(login) is back.")
    }
}
