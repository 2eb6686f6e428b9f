import RingbackCore

/// The report as one self-contained HTML file for a browser or a mail client: no scripts,
/// no network, no SVG (mail clients strip it). Charts are tables with coloured cells, styles
/// are inline, because many mail clients drop `<style>` blocks.
struct ReportHTML {
    let report: MissedCallReport
    let zone: ZoneConverter

    static let green = "#2e7d32", amber = "#ef8f00", red = "#c62828", grey = "#e0e0e0", ink = "#212121"
    private let cell = "padding:4px 8px;border-bottom:1px solid #e0e0e0;"

    func render() -> String {
        let clock = ReportClock(zone: zone, period: report.period)
        var body = ""
        body += "<h1 style=\"font-size:20px;margin:0 0 4px 0\">Missed calls, \(escape(report.title))</h1>\n"
        body += "<p style=\"color:#616161;margin:0 0 16px 0\">As of \(clock.full(report.generatedAt)) (\(escape(zone.identifier)))</p>\n"
        body += summary()
        body += section("By manager", managers())
        body += section("Missed calls by hour", hours())
        body += section("Overdue callbacks (\(report.overdue.count))", overdue(clock))
        body += section("Answered, no contact recorded (\(report.noContact.count))", noContact(clock))
        body += section("A-clients silent for more than \(report.dormantDays) days (\(report.dormantAClients.count))",
                        dormant(clock))
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Missed calls, \(escape(report.title))</title></head>
            <body style="margin:0;padding:16px;background:#ffffff;color:\(Self.ink);font-family:Arial,Helvetica,sans-serif;font-size:14px">
            <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:760px">
            <tr><td>
            \(body)</td></tr></table>
            </body></html>

            """
    }

    private func summary() -> String {
        let percent = report.withinSLAPercent ?? 0
        func minutes(_ value: Int?) -> String { value.map { "\($0) min" } ?? "–" }
        let sla: String = report.withinSLAPercent.map { "\(Int($0.rounded()))%" } ?? "–"
        let tiles: [(String, String)] = [
            ("Missed calls", String(report.missedCalls)), ("Callbacks opened", String(report.callbacksOpened)),
            ("Within SLA", sla), ("Median to callback", minutes(report.medianMinutesToCallback)),
            ("90th percentile", minutes(report.p90MinutesToCallback)),
        ]
        var html = "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>\n"
        for (label, value) in tiles {
            html += "<td width=\"20%\" valign=\"top\" style=\"padding:8px;border:1px solid #e0e0e0\">"
                + "<div style=\"font-size:22px;font-weight:bold\">\(escape(value))</div>"
                + "<div style=\"color:#616161;font-size:12px\">\(escape(label))</div></td>\n"
        }
        html += "</tr></table>\n"
        html += "<p style=\"margin:12px 0 4px 0\">Called back within SLA: \(escape(report.slaSummary))</p>\n"
        html += bar([(percent, Self.green), (100 - percent, Self.red)], height: 14)
        return html
    }

    private func managers() -> String {
        var html = "<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n"
        html += "<tr>" + ["Manager", "Missed", "Called back", "Late", "Still open", "No contact", ""].map {
            "<th align=\"left\" style=\"\(cell)font-size:12px;color:#616161\">\($0)</th>"
        }.joined() + "</tr>\n"
        let widest = max(report.managers.map { $0.calledBack + $0.stillOpen }.max() ?? 0, 1)
        for row in report.managers {
            let name = row.managerID.map { "\(escape(row.name)) <span style=\"color:#9e9e9e\">\(escape($0))</span>" }
                ?? "<i>unassigned</i>"
            let inTime = row.calledBack - row.late
            let scale = 100.0 / Double(widest)
            let chart = bar([(Double(inTime) * scale, Self.green), (Double(row.late) * scale, Self.amber),
                             (Double(row.stillOpen) * scale, Self.red),
                             (100 - Double(row.calledBack + row.stillOpen) * scale, "#ffffff")], height: 12)
            html += "<tr><td style=\"\(cell)\">\(name)</td>"
                + [row.missed, row.calledBack, row.late, row.stillOpen, row.noContact].map {
                    "<td align=\"right\" style=\"\(cell)\">\($0)</td>"
                }.joined()
                + "<td width=\"35%\" style=\"\(cell)\">\(chart)</td></tr>\n"
        }
        html += "</table>\n"
        html += legend([("called back in time", Self.green), ("late", Self.amber), ("still open", Self.red)])
        return html
    }

    private func hours() -> String {
        let range = report.drawnHours
        let peak = max(report.missedByHour.max() ?? 0, 1)
        let height = 120
        var html = "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"2\"><tr>\n"
        for hour in range {
            let count = report.missedByHour[hour]
            let bar = count * height / peak
            html += "<td valign=\"bottom\" align=\"center\" height=\"\(height + 16)\" style=\"height:\(height + 16)px;font-size:11px\">"
            html += count > 0 ? "\(count)" : "&nbsp;"
            if bar > 0 {
                html += "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>"
                    + "<td height=\"\(bar)\" bgcolor=\"\(Self.red)\" style=\"height:\(bar)px;background:\(Self.red);font-size:0;line-height:0\">&nbsp;</td>"
                    + "</tr></table>"
            }
            html += "</td>\n"
        }
        html += "</tr><tr>\n"
        for hour in range {
            html += "<td align=\"center\" style=\"font-size:11px;color:#616161;border-top:1px solid #9e9e9e\">\(hour < 10 ? "0" : "")\(hour)</td>\n"
        }
        html += "</tr></table>\n"
        return html
    }

    private func overdue(_ clock: ReportClock) -> String {
        rows(["#", "Number", "Client", "Manager", "Missed", "Due", "Now"], report.overdue.map { cb in
            [String(cb.callbackID), cb.number, cb.clientName ?? cb.clientID ?? "–", cb.managerID ?? "unassigned",
             clock.short(cb.firstMissedAt), clock.short(cb.dueAt),
             cb.resolvedAt.map { "\(MissedCallReport.callbackState(cb)) \(clock.short($0))" } ?? "still open"]
        }, empty: "No callback went overdue.")
    }

    private func noContact(_ clock: ReportClock) -> String {
        rows(["Raised", "Number", "Client", "Manager", "State"], report.noContact.map { alert in
            [clock.short(alert.raisedAt), alert.number ?? "–", alert.clientID ?? "–", alert.managerID ?? "–", alert.state.rawValue]
        }, empty: "Every answered call has its contact record.")
    }

    private func dormant(_ clock: ReportClock) -> String {
        rows(["Client", "Manager", "Last answered call", "Last contact", "Days"], report.dormantAClients.map { client in
            ["\(client.name) (\(client.clientID))", client.managerID ?? "–",
             client.lastAnsweredCallAt.map(clock.date) ?? "never", client.lastContactAt.map(clock.date) ?? "never",
             client.daysSilent.map(String.init) ?? "never reached"]
        }, empty: "Every A-client was reached recently.")
    }

    private func rows(_ header: [String], _ rows: [[String]], empty: String) -> String {
        guard !rows.isEmpty else { return "<p style=\"color:#616161;margin:0\">\(escape(empty))</p>\n" }
        var html = "<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n<tr>"
        html += header.map { "<th align=\"left\" style=\"\(cell)font-size:12px;color:#616161\">\(escape($0))</th>" }.joined()
        html += "</tr>\n"
        for row in rows {
            html += "<tr>" + row.map { "<td style=\"\(cell)\">\(escape($0))</td>" }.joined() + "</tr>\n"
        }
        return html + "</table>\n"
    }

    private func section(_ title: String, _ content: String) -> String {
        "<h2 style=\"font-size:16px;margin:24px 0 8px 0\">\(escape(title))</h2>\n" + content
    }

    /// A horizontal bar of coloured segments, widths in percent of the cell.
    private func bar(_ segments: [(Double, String)], height: Int) -> String {
        let visible = segments.filter { $0.0 >= 0.5 }
        guard !visible.isEmpty else { return "" }
        return "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>"
            + visible.map { width, colour in
                "<td width=\"\(Int(width.rounded()))%\" height=\"\(height)\" bgcolor=\"\(colour)\" "
                    + "style=\"height:\(height)px;background:\(colour);font-size:0;line-height:0\">&nbsp;</td>"
            }.joined() + "</tr></table>\n"
    }

    private func legend(_ items: [(String, String)]) -> String {
        "<p style=\"font-size:12px;color:#616161;margin:6px 0 0 0\">" + items.map { label, colour in
            "<span style=\"display:inline-block;width:10px;height:10px;background:\(colour)\">&nbsp;</span> \(escape(label))"
        }.joined(separator: " &nbsp; ") + "</p>\n"
    }

    private func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
