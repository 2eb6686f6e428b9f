import RingbackCore
import RingbackStore

extension MissedCallReport {
    public func rendered(as format: ReportFormat, zone: ZoneConverter) -> String {
        switch format {
        case .text: ReportText(report: self, zone: zone).render()
        case .html: ReportHTML(report: self, zone: zone).render()
        case .csv: ReportFields(report: self, zone: zone).csv
        case .json: ReportFields(report: self, zone: zone).json
        }
    }
}

/// Times as people read them in a report: the date only when it is not the report's day.
struct ReportClock {
    let zone: ZoneConverter
    let period: ReportPeriod

    func short(_ instant: Int64) -> String {
        let c = zone.civil(of: instant)
        let time = "\(two(c.hour)):\(two(c.minute))"
        let sameDay = period.kind == .day && c.year == period.firstDay.year && c.month == period.firstDay.month
            && c.day == period.firstDay.day
        return sameDay ? time : "\(two(c.day)).\(two(c.month)) \(time)"
    }

    func full(_ instant: Int64) -> String {
        let c = zone.civil(of: instant)
        return "\(date(instant)) \(two(c.hour)):\(two(c.minute))"
    }

    func date(_ instant: Int64) -> String {
        let c = zone.civil(of: instant)
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }

    private func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}

extension MissedCallReport {
    /// "7 of 10 (70%)", or a dash when nothing was missed.
    var slaSummary: String {
        guard let percent = withinSLAPercent else { return "–" }
        return "\(withinSLA) of \(callbacksOpened) (\(Int(percent.rounded()))%)"
    }

    var timeToCallbackSummary: String {
        guard let median = medianMinutesToCallback, let p90 = p90MinutesToCallback else { return "–" }
        return "median \(median) min, 90th percentile \(p90) min"
    }

    /// The hours worth drawing: from the first to the last with a missed call, at least 9–18.
    var drawnHours: ClosedRange<Int> {
        let busy = missedByHour.indices.filter { missedByHour[$0] > 0 }
        return min(busy.first ?? 9, 9)...max(busy.last ?? 18, 18)
    }

    static func callbackState(_ callback: ReportCallback) -> String {
        switch callback.state {
        case .open: "still open"
        case .calledBack: "called back late"
        case .clientReachedUs: "client called again, late"
        case .closed: "closed"
        }
    }
}
