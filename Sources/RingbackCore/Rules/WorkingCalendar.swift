/// SLA time that runs only in working hours of working days, in the office's zone, skipping
/// holidays (`[calendar]`). DST-correct: each range's ends are converted from local wall time.
public struct WorkingCalendar: WorkingTime {
    public let zone: ZoneConverter
    /// ISO weekdays, 1 = Monday.
    public let workingDays: Set<Int>
    /// Minutes after local midnight, half-open, sorted.
    public let workingHours: [Range<Int>]
    public let holidays: Set<String>

    public init(zone: ZoneConverter, workingDays: Set<Int>, workingHours: [Range<Int>], holidays: [CivilTime]) {
        self.zone = zone
        self.workingDays = workingDays
        self.workingHours = workingHours.sorted { $0.lowerBound < $1.lowerBound }
        self.holidays = Set(holidays.map(Self.dayKey))
    }

    private static func dayKey(_ c: CivilTime) -> String { "\(c.year)-\(c.month)-\(c.day)" }

    public func isWorkingDay(_ day: CivilTime) -> Bool {
        workingDays.contains(day.isoWeekday) && !holidays.contains(Self.dayKey(day))
    }

    /// Whether `instant` falls in working hours of a working day (the route's office hours).
    public func isWorking(at instant: Int64) -> Bool {
        let now = zone.civil(of: instant)
        let day = CivilTime(year: now.year, month: now.month, day: now.day)
        guard isWorkingDay(day) else { return false }
        let minute = now.hour * 60 + now.minute
        return workingHours.contains { $0.contains(minute) }
    }

    public func adding(minutes: Int, to start: Int64) -> Int64 {
        guard !workingHours.isEmpty, !workingDays.isEmpty else { return start + Int64(minutes) * 60 }
        var remaining = Int64(minutes) * 60
        var cursor = start
        let first = zone.civil(of: start)
        var day = CivilTime(year: first.year, month: first.month, day: first.day)
        // Ten years without a working minute means a calendar that never works: fall back.
        for _ in 0..<3660 {
            if isWorkingDay(day) {
                for range in workingHours {
                    let opens = instant(day, minute: range.lowerBound)
                    let closes = instant(day, minute: range.upperBound)
                    guard cursor < closes else { continue }
                    let from = max(cursor, opens)
                    if remaining <= closes - from { return from + remaining }
                    remaining -= closes - from
                    cursor = closes
                }
            }
            day = CivilTime(secondsAsIfUTC: day.secondsAsIfUTC + 86_400)
        }
        return start + Int64(minutes) * 60
    }

    private func instant(_ day: CivilTime, minute: Int) -> Int64 {
        zone.instant(of: CivilTime(secondsAsIfUTC: day.secondsAsIfUTC + Int64(minute) * 60))
    }
}
