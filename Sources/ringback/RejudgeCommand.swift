import ArgumentParser
import RingbackIngest

struct Rejudge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Judge the stored calls from a date again, with today's rules and directory.",
        discussion: """
            For after a change that alters what past calls were: managers' mobiles added to the \
            directory, [calls] inbound_contexts fixed, an upgrade of Ringback. Every call that started \
            from DATE on is classified again from its stored CDR rows and the rules run again in order \
            of the calls' start, in one transaction: callbacks and alerts are what they would have been. \
            An alert raised again keeps its id, so one already handed to the alert hook is not sent \
            again; manual closes are applied again; acknowledgements stay.

            Examples:
              ringback rejudge --since 2026-03-01
            """)

    @OptionGroup var options: CommonOptions
    @Option(help: ArgumentHelp("From this date or time (inclusive).", valueName: "date")) var since: String

    func run() throws {
        let environment = try CommandEnvironment(options)
        let from = try environment.parseTime(since, option: "--since")
        let store = try environment.openLoader()
        let pipeline = try IngestPipeline(store: store, configuration: environment.configuration, clock: .fixed(at: environment.at))
        let before = try store.counts()
        let result = try pipeline.rejudge(since: from)
        let after = try store.counts()
        print("\(result.calls) calls of \(result.numbers) numbers judged again; "
              + "open callbacks \(before["open_callbacks"] ?? 0) → \(after["open_callbacks"] ?? 0), "
              + "alerts \(before["alerts"] ?? 0) → \(after["alerts"] ?? 0)")
    }
}
