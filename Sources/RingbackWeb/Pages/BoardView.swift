import RingbackCore
import RingbackOperations
import RingbackReport

/// The head's board (SPEC §8.3): the day's report as the page's values, and missed calls by
/// hour as an SVG bar chart drawn here, on the server, from attributes only (the policy
/// allows no inline style).
enum BoardView {
    /// `awayUntil`: the managers away now, and when their absence ends (shown on their row).
    static func values(_ report: MissedCallReport, text: [String: String], zone: ZoneConverter, now: Int64,
                       awayUntil: [String: Int64] = [:]) -> [String: Any] {
        var figures: [[String: Any]] = [
            ["label": text["missedCalls"] ?? "", "value": report.missedCalls],
            ["label": text["callbacksOpened"] ?? "", "value": report.callbacksOpened],
            ["label": text["withinSLA"] ?? "", "value": report.withinSLAPercent.map { "\(Int($0.rounded())) %" } ?? "–"],
        ]
        if let median = report.medianMinutesToCallback {
            figures.append(["label": text["medianMinutes"] ?? "", "value": "\(median) min"])
        }
        let managers: [[String: Any]] = report.managers.map { row in
            // The last day away: the day before the absence ends.
            let away = row.managerID.flatMap { awayUntil[$0] }.map { end -> String in
                let day = zone.civil(of: end - 1)
                return PageText.format(text["awayUntil"] ?? "", "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)-\(day.day < 10 ? "0" : "")\(day.day)")
            }
            var values: [String: Any] = ["name": row.name, "missed": row.missed, "calledBack": row.calledBack, "late": row.late,
                                         "stillOpen": row.stillOpen, "noContact": row.noContact]
            values["away"] = away
            return values
        }
        let overdue: [[String: Any]] = report.overdue.map { callback in
            var row: [String: Any] = ["id": callback.callbackID, "number": callback.number,
                                      "due": DeskRoutes.clock(callback.dueAt, zone: zone, now: now), "state": callback.state.rawValue]
            row["clientName"] = callback.clientName
            row["managerID"] = callback.managerID
            return row
        }
        let noContact: [[String: Any]] = report.noContact.map { alert in
            var row: [String: Any] = ["id": alert.alertID, "raised": DeskRoutes.clock(alert.raisedAt, zone: zone, now: now),
                                      "state": alert.state.rawValue]
            row["number"] = alert.number
            row["managerID"] = alert.managerID
            return row
        }
        return ["figures": figures, "managerRows": managers, "overdueList": overdue, "noContactList": noContact,
                "chart": chart(report.missedByHour), "chartLabel": text["missedByHour"] ?? ""]
    }

    /// 30 bars (missed calls a day, the tallest at full height) and a line of within-SLA %
    /// (0 at the bottom, 100 at the top; a day without callbacks leaves a gap-free line at
    /// its neighbours' level by being left out).
    static func trend(_ days: [TrendDay]) -> (bars: [[String: Any]], slaPoints: String) {
        let tallest = max(1, days.map(\.missed).max() ?? 1)
        let bars: [[String: Any]] = days.enumerated().map { index, day in
            let height = Int((Double(day.missed) / Double(tallest) * 130).rounded())
            return ["x": index * 16 + 2, "y": 140 - height, "height": height, "day": day.label, "missed": day.missed,
                    "sla": day.withinSLAPercent.map { "\(Int($0.rounded())) %" } ?? "–"]
        }
        let points = days.enumerated().compactMap { index, day in
            day.withinSLAPercent.map { "\(index * 16 + 8),\(Int((140 - $0 * 1.3).rounded()))" }
        }.joined(separator: " ")
        return (bars, points)
    }

    /// 24 bars in a 480 × 150 viewBox, the tallest at full height; every third hour labelled.
    static func chart(_ byHour: [Int]) -> [[String: Any]] {
        let tallest = max(1, byHour.max() ?? 1)
        return byHour.enumerated().map { hour, count in
            let height = Int((Double(count) / Double(tallest) * 120).rounded())
            var bar: [String: Any] = ["x": hour * 20 + 2, "y": 130 - height, "height": height, "count": count, "hour": hour,
                                      "labelX": hour * 20 + 10]
            if hour % 3 == 0 { bar["label"] = hour < 10 ? "0\(hour)" : "\(hour)" }
            return bar
        }
    }
}
