import RingbackCore

/// The day or ISO week (Monday to Sunday) a report covers, in the office's zone.
public struct ReportPeriod: Sendable, Equatable {
    public enum Kind: String, Sendable { case day, week }

    public var kind: Kind
    public var firstDay: CivilTime
    public var lastDay: CivilTime
    /// `[start, end)` as instants; a DST change makes a day 23 or 25 hours long.
    public var start: Int64
    public var end: Int64

    public static func day(containing instant: Int64, zone: ZoneConverter) -> ReportPeriod {
        let day = midnight(zone.civil(of: instant))
        return ReportPeriod(kind: .day, firstDay: day, lastDay: day, zone: zone)
    }

    public static func week(containing instant: Int64, zone: ZoneConverter) -> ReportPeriod {
        let day = midnight(zone.civil(of: instant))
        let monday = adding(days: 1 - day.isoWeekday, to: day)
        return ReportPeriod(kind: .week, firstDay: monday, lastDay: adding(days: 6, to: monday), zone: zone)
    }

    /// The last working day before the day of `instant` (Friday, seen on a Monday morning),
    /// or nil when the calendar has none in the year before.
    public static func previousWorkingDay(before instant: Int64, zone: ZoneConverter,
                                          isWorkingDay: (CivilTime) -> Bool) -> ReportPeriod? {
        var day = midnight(zone.civil(of: instant))
        for _ in 0..<366 {
            day = adding(days: -1, to: day)
            if isWorkingDay(day) { return ReportPeriod(kind: .day, firstDay: day, lastDay: day, zone: zone) }
        }
        return nil
    }

    private init(kind: Kind, firstDay: CivilTime, lastDay: CivilTime, zone: ZoneConverter) {
        self.kind = kind
        self.firstDay = firstDay
        self.lastDay = lastDay
        start = zone.instant(of: firstDay)
        end = zone.instant(of: Self.adding(days: 1, to: lastDay))
    }

    /// `2026-03-10 (Tue)` or `2026-W11 (2026-03-09 – 2026-03-15)`.
    public var label: String {
        switch kind {
        case .day: "\(Self.date(firstDay)) (\(Self.weekdayNames[firstDay.isoWeekday - 1]))"
        case .week: "\(isoWeek) (\(Self.date(firstDay)) – \(Self.date(lastDay)))"
        }
    }

    /// `2026-W11`: the week of the year that holds the week's Thursday.
    public var isoWeek: String {
        let thursday = Self.adding(days: 4 - firstDay.isoWeekday, to: firstDay)
        let january1 = CivilTime(year: thursday.year, month: 1, day: 1)
        let dayOfYear = Int((thursday.secondsAsIfUTC - january1.secondsAsIfUTC) / 86_400)
        let week = dayOfYear / 7 + 1
        return "\(thursday.year)-W\(week < 10 ? "0" : "")\(week)"
    }

    static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    static func date(_ day: CivilTime) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day.year)-\(two(day.month))-\(two(day.day))"
    }

    private static func midnight(_ civil: CivilTime) -> CivilTime {
        CivilTime(year: civil.year, month: civil.month, day: civil.day)
    }

    private static func adding(days: Int, to day: CivilTime) -> CivilTime {
        CivilTime(secondsAsIfUTC: day.secondsAsIfUTC + Int64(days) * 86_400)
    }
}
