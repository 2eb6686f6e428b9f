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

    func testAcrossTheSpringDSTChangeInBerlin() throws {
        let berlin = try XCTUnwrap(ZoneConverter(identifier: "Europe/Berlin"))
        let office = WorkingCalendar(zone: berlin, workingDays: [1, 2, 3, 4, 5], workingHours: [540..<1080], holidays: [])
        // Friday 17:50 CET (+01:00); the clocks go forward on Sunday 29 March 2026.
        let missed = try XCTUnwrap(TimeParsing.instant("2026-03-27T17:50:00+01:00", zone: berlin))
        XCTAssertEqual(office.adding(minutes: 15, to: missed), TimeParsing.instant("2026-03-30T09:05:00+02:00", zone: berlin))
        // Around the clock on the day itself: 02:00–03:00 does not exist, an hour is an hour.
        let always = WorkingCalendar(zone: berlin, workingDays: Set(1...7), workingHours: [0..<1440], holidays: [])
        let night = try XCTUnwrap(TimeParsing.instant("2026-03-29T01:30:00+01:00", zone: berlin))
        XCTAssertEqual(always.adding(minutes: 60, to: night), TimeParsing.instant("2026-03-29T03:30:00+02:00", zone: berlin))
    }

    func testWallClockWithoutCalendar() {
        XCTAssertEqual(WallClockTime().adding(minutes: 15, to: 1000), 1900)
    }
}
