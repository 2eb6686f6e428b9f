import RingbackCore
import XCTest

final class WorkingCalendarTests: XCTestCase {
    let moscow = ZoneConverter(identifier: "Europe/Moscow")!

    private func calendar(hours: [Range<Int>] = [540..<1080], holidays: [CivilTime] = []) -> WorkingCalendar {
        WorkingCalendar(zone: moscow, workingDays: [1, 2, 3, 4, 5], workingHours: hours, holidays: holidays)
    }

    private func at(_ text: String) -> Int64 { TimeParsing.instant(text, zone: moscow)! }

    func testCallMissedFridayEveningIsDueMondayMorning() {
        // SPEC §4.1: missed Friday 19:00, A client (15 min) → due Monday 09:15.
        XCTAssertEqual(calendar().adding(minutes: 15, to: at("2026-03-13 19:00")), at("2026-03-16 09:15"))
    }

    func testWithinTheDayAndAcrossLunch() {
        XCTAssertEqual(calendar().adding(minutes: 30, to: at("2026-03-10 10:00")), at("2026-03-10 10:30"))
        let withLunch = calendar(hours: [540..<780, 840..<1080])
        XCTAssertEqual(withLunch.adding(minutes: 30, to: at("2026-03-10 12:45")), at("2026-03-10 14:15"))
    }

    func testHolidayIsSkipped() {
        let holiday = calendar(holidays: [CivilTime(year: 2026, month: 3, day: 11)])
        XCTAssertEqual(holiday.adding(minutes: 60, to: at("2026-03-10 17:30")), at("2026-03-12 09:30"))
    }

    func testWallClockWithoutCalendar() {
        XCTAssertEqual(WallClockTime().adding(minutes: 15, to: 1000), 1900)
    }
}
