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

    /// The route rings the owner only in office hours (SPEC §9.2).
    func testWorkingAtAnInstant() {
        let office = calendar(hours: [540..<780, 840..<1080], holidays: [CivilTime(year: 2026, month: 3, day: 11)])
        XCTAssertTrue(office.isWorking(at: at("2026-03-10 09:00")), "opening minute")
        XCTAssertFalse(office.isWorking(at: at("2026-03-10 13:30")), "lunch")
        XCTAssertFalse(office.isWorking(at: at("2026-03-10 18:00")), "closing minute: half-open")
        XCTAssertFalse(office.isWorking(at: at("2026-03-11 10:00")), "a holiday")
        XCTAssertFalse(office.isWorking(at: at("2026-03-14 10:00")), "Saturday")
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

    func testMissedAfterHoursOnAWeekdayIsDueNextMorning() {
        XCTAssertEqual(calendar().adding(minutes: 15, to: at("2026-03-10 20:00")), at("2026-03-11 09:15"))
        // Before opening the clock starts at opening time.
        XCTAssertEqual(calendar().adding(minutes: 15, to: at("2026-03-10 07:30")), at("2026-03-10 09:15"))
        // A C client (240 min) missed at 16:30: 90 minutes today, 150 tomorrow.
        XCTAssertEqual(calendar().adding(minutes: 240, to: at("2026-03-10 16:30")), at("2026-03-11 11:30"))
    }

    func testMissedDuringLunchStartsAfterLunch() {
        let withLunch = calendar(hours: [540..<780, 840..<1080])
        XCTAssertEqual(withLunch.adding(minutes: 15, to: at("2026-03-10 13:20")), at("2026-03-10 14:15"))
    }

    func testWeekendFollowedByAHolidayMonday() {
        let holiday = calendar(holidays: [CivilTime(year: 2026, month: 3, day: 16)])
        XCTAssertEqual(holiday.adding(minutes: 15, to: at("2026-03-13 19:00")), at("2026-03-17 09:15"))
        // Saturday itself, and a holiday morning, count nothing either.
        XCTAssertEqual(holiday.adding(minutes: 60, to: at("2026-03-14 11:00")), at("2026-03-17 10:00"))
        XCTAssertFalse(holiday.isWorkingDay(CivilTime(year: 2026, month: 3, day: 16)))
        XCTAssertFalse(holiday.isWorkingDay(CivilTime(year: 2026, month: 3, day: 15)))
        XCTAssertTrue(holiday.isWorkingDay(CivilTime(year: 2026, month: 3, day: 17)))
    }

    func testAcrossTheAutumnDSTChangeInBerlin() throws {
        let berlin = try XCTUnwrap(ZoneConverter(identifier: "Europe/Berlin"))
        let office = WorkingCalendar(zone: berlin, workingDays: [1, 2, 3, 4, 5], workingHours: [540..<1080], holidays: [])
        // Friday 23 October 2026 17:55 CEST; the clocks go back on Sunday 25 October.
        let missed = try XCTUnwrap(TimeParsing.instant("2026-10-23T17:55:00+02:00", zone: berlin))
        XCTAssertEqual(office.adding(minutes: 15, to: missed), TimeParsing.instant("2026-10-26T09:10:00+01:00", zone: berlin))
    }

    func testAcrossTheUSDSTChangeInNewYork() throws {
        let newYork = try XCTUnwrap(ZoneConverter(identifier: "America/New_York"))
        let office = WorkingCalendar(zone: newYork, workingDays: [1, 2, 3, 4, 5], workingHours: [540..<1020], holidays: [])
        // Friday 6 March 2026 16:30 EST; summer time begins Sunday 8 March: Monday opens at
        // 09:00 EDT, one hour earlier in UTC than the Friday did.
        let missed = try XCTUnwrap(TimeParsing.instant("2026-03-06T16:30:00-05:00", zone: newYork))
        XCTAssertEqual(office.adding(minutes: 60, to: missed), TimeParsing.instant("2026-03-09T09:30:00-04:00", zone: newYork))
    }

    func testWallClockWithoutCalendar() {
        XCTAssertEqual(WallClockTime().adding(minutes: 15, to: 1000), 1900)
    }
}
