import ArgumentParser
import Foundation
import RingbackCore
import RingbackHooks
import RingbackOperations
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

            --send hands the report to [report] command (e.g. "/usr/sbin/sendmail -t") in [report] \
            format; with [report] mail_to it goes as a mail message with To, Subject and Content-Type \
            headers. The shipped ringback-report.timer runs it every morning:
              ringback report --previous-working-day --skip-non-working --send

            Examples:
              ringback report                              today, as text
              ringback report --day 2026-03-10 --format html > report.html
              ringback report --week 2026-03-10 --format csv
              ringback report --office kzn                 today, Kazan's calls only
            """)

    @OptionGroup var options: StoreOptions
    @Option(help: ArgumentHelp("The day to report (default: today).", valueName: "date")) var day: String?
    @Option(help: ArgumentHelp("The ISO week (Monday to Sunday) containing this date.", valueName: "date"))
    var week: String?
    @Option(help: ArgumentHelp("text, html, csv or json (with --send: [report] format).", valueName: "format"))
    var format: ReportFormat?
    @Flag(help: "Report the last working day before today (or --at) by the [calendar].")
    var previousWorkingDay = false
    @Flag(help: "Print and send nothing when today (or --at) is not a working day: weekends, holidays.")
    var skipNonWorking = false
    @Flag(help: "Hand the report to [report] command instead of printing it.")
    var send = false
    @Option(help: ArgumentHelp("Only this office's calls (SPEC §10); default: all offices.", valueName: "name"))
    var office: String?

    func validate() throws {
        if [day != nil, week != nil, previousWorkingDay].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --day, --week, --previous-working-day")
        }
    }

    func run() throws {
        let environment = try CommandEnvironment(options, format: .table)
        let zone = environment.zone
        let days = environment.configuration.calendar
        let calendar = WorkingCalendar(zone: zone, workingDays: Set(days.workingDays), workingHours: days.workingHours,
                                       holidays: days.holidays)
        if skipNonWorking, !calendar.isWorkingDay(zone.civil(of: environment.at)) { return }
        let period: ReportPeriod
        if let week {
            period = .week(containing: try environment.parseTime(week, option: "--week"), zone: zone)
        } else if previousWorkingDay {
            guard let previous = ReportPeriod.previousWorkingDay(before: environment.at, zone: zone,
                                                                  isWorkingDay: calendar.isWorkingDay) else {
                throw CommandFailure(message: "the [calendar] has no working day in the year before", status: ExitStatus.badInput)
            }
            period = previous
        } else {
            period = .day(containing: try day.map { try environment.parseTime($0, option: "--day") } ?? environment.at,
                          zone: zone)
        }
        let store = try environment.openReader()
        let office = try Desk.office(office, in: store)
        let report = try Desk.report(in: store, period: period, at: environment.at, zone: zone,
                                     dormantDays: environment.configuration.dormantDays, office: office)
        guard send else {
            FileHandle.standardOutput.write(Data(report.rendered(as: format ?? .text, zone: zone).utf8))
            return
        }
        let settings = environment.configuration.report
        let chosen = format ?? settings.format
        try ReportDelivery(settings: settings).send(report.rendered(as: chosen, zone: zone), format: chosen,
                                                    subject: "Missed calls, \(report.title)")
    }
}

extension ReportFormat: ExpressibleByArgument {}
