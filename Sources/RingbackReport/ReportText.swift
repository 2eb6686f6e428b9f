import RingbackCore

/// The report for a terminal: aligned columns, bars drawn with block characters.
struct ReportText {
    let report: MissedCallReport
    let zone: ZoneConverter

    func render() -> String {
        let clock = ReportClock(zone: zone, period: report.period)
        var out: [String] = []
        out.append("Missed-call report, \(report.title), as of \(clock.full(report.generatedAt))")
        out.append("")
        out.append(pad("Missed calls", 22) + "\(report.missedCalls)")
        out.append(pad("Callbacks opened", 22) + "\(report.callbacksOpened)")
        out.append(pad("Within SLA", 22) + report.slaSummary)
        out.append(pad("Time to callback", 22) + report.timeToCallbackSummary)
        out.append("")
        out.append("By manager")
        let header = ["manager", "missed", "called back", "late", "still open", "no contact"]
        let rows = report.managers.map { row in
            [row.managerID.map { "\(row.name) (\($0))" } ?? "unassigned", "\(row.missed)", "\(row.calledBack)",
             "\(row.late)", "\(row.stillOpen)", "\(row.noContact)"]
        }
        out += table([header] + rows)
        out.append("")
        out.append("Overdue (\(report.overdue.count))")
        for cb in report.overdue {
            let who = [cb.clientName, cb.managerID ?? "unassigned"].compactMap { $0 }.joined(separator: ", ")
            let resolution = cb.resolvedAt.map { "\(MissedCallReport.callbackState(cb)) at \(clock.short($0))" } ?? "still open"
            out.append("  #\(cb.callbackID)  \(cb.number)  \(who)  missed \(clock.short(cb.firstMissedAt)), due \(clock.short(cb.dueAt)), \(resolution)")
        }
        out.append("")
        out.append("No contact recorded (\(report.noContact.count))")
        for alert in report.noContact {
            out.append("  \(clock.short(alert.raisedAt))  \(alert.number ?? "-")  \(alert.clientID ?? "-")  \(alert.managerID ?? "-")  \(alert.state)")
        }
        out.append("")
        out.append("Missed calls by hour")
        let peak = max(report.missedByHour.max() ?? 0, 1)
        for hour in report.drawnHours {
            let count = report.missedByHour[hour]
            let bar = String(repeating: "█", count: (count * 40 + peak - 1) / peak)
            out.append("  \(hour < 10 ? "0" : "")\(hour):00  \(bar)\(count > 0 ? " \(count)" : "")")
        }
        out.append("")
        out.append("A-clients silent for more than \(report.dormantDays) days (\(report.dormantAClients.count))")
        for client in report.dormantAClients {
            let call = client.lastAnsweredCallAt.map(clock.date) ?? "never"
            let contact = client.lastContactAt.map(clock.date) ?? "never"
            let days = client.daysSilent.map { "\($0) days" } ?? "never reached"
            out.append("  \(client.clientID)  \(client.name)  \(client.managerID ?? "-")  last call \(call), last contact \(contact): \(days)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    private func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }

    private func table(_ rows: [[String]]) -> [String] {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { cells in
            "  " + cells.enumerated().map { index, cell in
                index == 0 ? pad(cell, widths[0])
                    : String(repeating: " ", count: widths[index] - cell.count) + cell
            }.joined(separator: "  ")
        }
    }
}
