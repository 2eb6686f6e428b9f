import ArgumentParser
import Foundation
import RingbackReport
import RingbackStore

struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The head's missed-call report for a day or an ISO week.",
        discussion: """
            Missed calls; callbacks opened; within SLA (%) = callbacks resolved by a call (called back, or \
            the client reached us) by their due time ÷ callbacks opened; time to callback = resolution − \
            first missed call in wall minutes, median and 90th percentile (nearest rank); a table by \
            callback owner; overdue and no-contact lists; missed calls by hour of day; A-clients silent \
            for more than [abc] dormant_days. Callbacks count as of now (or --at): one missed in the \
            evening and called back the next morning counts as called back.

            Examples:
              ringback report                              today, as text
              ringback report --day 2026-03-10 --format html > report.html
              ringback report --week 2026-03-10 --format csv
            """)

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp("The day to report (default: today).", valueName: "date")) var day: String?
    @Option(help: ArgumentHelp("The ISO week (Monday to Sunday) containing this date.", valueName: "date"))
    var week: String?
    @Option(help: ArgumentHelp("text, html, csv or json.", valueName: "format")) var format: ReportFormat = .text

    func validate() throws {
        if day != nil, week != nil { throw ValidationError("give --day or --week, not both") }
    }

    func run() throws {
        let environment = try CommandEnvironment(options, format: .table)
        let zone = environment.zone
        let period: ReportPeriod
        if let week {
            period = .week(containing: try environment.parseTime(week, option: "--week"), zone: zone)
        } else {
            period = .day(containing: try day.map { try environment.parseTime($0, option: "--day") } ?? environment.at,
                          zone: zone)
        }
        let store = try environment.openStore()
        let at = environment.at
        let report = MissedCallReport(
            period: period, at: at, zone: zone,
            missed: try store.missed(since: period.start, until: period.end, at: at, managerID: nil),
            callbacks: try store.callbacksOpened(since: period.start, until: period.end, at: at),
            noContactAlerts: try store.alerts(at: at, kind: "no_contact", state: nil, managerID: nil),
            managers: try store.loadDirectory().managers,
            aClients: try store.clientActivity(abc: "A", at: at),
            dormantDays: environment.configuration.dormantDays)
        FileHandle.standardOutput.write(Data(report.rendered(as: format, zone: zone).utf8))
    }
}

extension ReportFormat: ExpressibleByArgument {}
