import Foundation
import RingbackCore
import RingbackReport
import RingbackStore
import XCTest

/// The report's definitions (SPEC §6) on hand-made store rows, and its periods.
final class MissedCallReportTests: XCTestCase {
    let moscow = ZoneConverter(identifier: "Europe/Moscow")!
    let berlin = ZoneConverter(identifier: "Europe/Berlin")!

    private func at(_ day: Int, _ hour: Int, _ minute: Int = 0, zone: ZoneConverter? = nil) -> Int64 {
        (zone ?? moscow).instant(of: CivilTime(year: 2026, month: 3, day: day, hour: hour, minute: minute))
    }

    private func callback(_ id: Int64, manager: String?, missed: Int64, due: Int64, state: CallbackState = .open,
                          resolved: Int64? = nil) -> ReportCallback {
        ReportCallback(callbackID: id, number: "+7916555000\(id)", clientID: nil, clientName: nil, managerID: manager,
                       firstMissedAt: missed, dueAt: due, state: state, resolvedAt: resolved, resolvedBy: manager)
    }

    private func missedCall(_ id: String, manager: String?, at started: Int64) -> MissedCall {
        MissedCall(callID: id, startedAt: started, number: "+79165550000", rawNumber: "89165550000", managerID: manager,
                   callbackID: 1, callbackState: .open)
    }

    private let managers = [
        Manager(id: "m1", name: "Anna", extensions: ["101"], login: "anna", email: "", role: .manager),
        Manager(id: "m2", name: "Boris", extensions: ["102"], login: "boris", email: "", role: .manager),
        Manager(id: "h1", name: "Head", extensions: ["100"], login: "head", email: "", role: .head),
    ]

    private func sampleReport(now: Int64? = nil) -> MissedCallReport {
        let period = ReportPeriod.day(containing: at(10, 12), zone: moscow)
        let callbacks = [
            // in time: 10 minutes
            callback(1, manager: "m1", missed: at(10, 9), due: at(10, 9, 15), state: .calledBack, resolved: at(10, 9, 10)),
            // late: 40 minutes, due after 15
            callback(2, manager: "m1", missed: at(10, 10), due: at(10, 10, 15), state: .clientReachedUs, resolved: at(10, 10, 40)),
            // in time: 20 minutes
            callback(3, manager: "m2", missed: at(10, 11), due: at(10, 12), state: .calledBack, resolved: at(10, 11, 20)),
            // still open and overdue
            callback(4, manager: nil, missed: at(10, 15), due: at(10, 15, 30)),
            // closed by hand (spam): neither within SLA nor overdue
            callback(5, manager: "m2", missed: at(10, 16), due: at(10, 16, 30), state: .closed, resolved: at(10, 17)),
            // open, not yet due
            callback(6, manager: "m2", missed: at(10, 17, 50), due: at(11, 9, 15)),
        ]
        let missed = [
            missedCall("a", manager: "m1", at: at(10, 9)), missedCall("b", manager: "m1", at: at(10, 9, 30)),
            missedCall("c", manager: "m1", at: at(10, 10)), missedCall("d", manager: "m2", at: at(10, 11)),
            missedCall("e", manager: nil, at: at(10, 15)), missedCall("f", manager: "m2", at: at(10, 16)),
            missedCall("g", manager: "m2", at: at(10, 17, 50)),
        ]
        let alerts = [
            AlertRecord(alertID: 7, kind: .noContact, raisedAt: at(10, 13), managerID: "m2", clientID: "c1",
                        number: "+79165550001", callID: "x", state: .open),
            // raised the day before: not this day's
            AlertRecord(alertID: 3, kind: .noContact, raisedAt: at(9, 13), managerID: "m1", clientID: "c1",
                        number: "+79165550001", callID: "y", state: .open),
        ]
        let evaluation = now ?? at(10, 18)
        let aClients = [
            ClientActivity(clientID: "c1", name: "Recent", managerID: "m1", lastAnsweredCallAt: at(9, 10), lastContactAt: nil),
            ClientActivity(clientID: "c2", name: "Old call, recent contact", managerID: "m1",
                           lastAnsweredCallAt: evaluation - 90 * 86_400, lastContactAt: evaluation - 5 * 86_400),
            ClientActivity(clientID: "c3", name: "Silent", managerID: "m2", lastAnsweredCallAt: evaluation - 45 * 86_400,
                           lastContactAt: evaluation - 31 * 86_400),
            ClientActivity(clientID: "c4", name: "Never", managerID: nil, lastAnsweredCallAt: nil, lastContactAt: nil),
        ]
        return MissedCallReport(period: period, at: evaluation, zone: moscow, missed: missed, callbacks: callbacks,
                                noContactAlerts: alerts, managers: managers, aClients: aClients, dormantDays: 30)
    }

    func testSummaryFiguresFollowTheSpecDefinitions() {
        let report = sampleReport()
        XCTAssertEqual(report.missedCalls, 7)
        XCTAssertEqual(report.callbacksOpened, 6)
        XCTAssertEqual(report.withinSLA, 2, "callbacks 1 and 3; 2 is late, 5 was closed by hand")
        XCTAssertEqual(report.withinSLAPercent ?? 0, 100.0 * 2 / 6, accuracy: 0.001)
        // Minutes to callback 10, 20, 40: nearest rank median is the 2nd, p90 the 3rd.
        XCTAssertEqual(report.medianMinutesToCallback, 20)
        XCTAssertEqual(report.p90MinutesToCallback, 40)
    }

    func testPerManagerTableByCallbackOwnerWithTheUnassignedQueueLast() {
        let rows = sampleReport().managers
        XCTAssertEqual(rows.map(\.managerID), ["m1", "m2", nil], "the head is not a row of her own")
        let anna = rows[0], boris = rows[1], unassigned = rows[2]
        XCTAssertEqual([anna.missed, anna.calledBack, anna.late, anna.stillOpen, anna.noContact], [3, 2, 1, 0, 0])
        XCTAssertEqual([boris.missed, boris.calledBack, boris.late, boris.stillOpen, boris.noContact], [3, 1, 0, 1, 1])
        XCTAssertEqual([unassigned.missed, unassigned.stillOpen], [1, 1])
    }

    func testOverdueListHoldsLateAndStillOpenPastDue() {
        XCTAssertEqual(sampleReport().overdue.map(\.callbackID), [2, 4])
        // Before callback 4's due time it is not overdue yet.
        XCTAssertEqual(sampleReport(now: at(10, 15, 20)).overdue.map(\.callbackID), [2])
    }

    func testMissedByHourInOfficeTime() {
        let hours = sampleReport().missedByHour
        XCTAssertEqual(hours.count, 24)
        XCTAssertEqual(hours[9], 2)
        XCTAssertEqual(hours[17], 1)
        XCTAssertEqual(hours.reduce(0, +), 7)
    }

    func testDormantAClientsSilentLongerThanTheThreshold() {
        let dormant = sampleReport().dormantAClients
        XCTAssertEqual(dormant.map(\.clientID), ["c4", "c3"], "never reached first, then the longest silent")
        XCTAssertNil(dormant[0].daysSilent)
        XCTAssertEqual(dormant[1].daysSilent, 31)
    }

    func testNothingMissedGivesNullsNotZeroDivisions() {
        let report = MissedCallReport(period: .day(containing: at(10, 12), zone: moscow), at: at(10, 18), zone: moscow,
                                      missed: [], callbacks: [], noContactAlerts: [], managers: managers, aClients: [],
                                      dormantDays: 30)
        XCTAssertNil(report.withinSLAPercent)
        XCTAssertNil(report.medianMinutesToCallback)
        let json = report.rendered(as: .json, zone: moscow)
        XCTAssertTrue(json.contains("\"within_sla_percent\": null"), json)
        XCTAssertTrue(report.rendered(as: .text, zone: moscow).contains("Within SLA            –"))
    }

    func testWeekIsMondayToSundayAndADSTWeekIs167Hours() {
        // Berlin moves to summer time on Sunday 2026-03-29.
        let week = ReportPeriod.week(containing: at(27, 12, zone: berlin), zone: berlin)
        XCTAssertEqual(week.firstDay, CivilTime(year: 2026, month: 3, day: 23))
        XCTAssertEqual(week.lastDay, CivilTime(year: 2026, month: 3, day: 29))
        XCTAssertEqual(week.end - week.start, 167 * 3600)
        XCTAssertEqual(week.isoWeek, "2026-W13")
        let day = ReportPeriod.day(containing: at(29, 12, zone: berlin), zone: berlin)
        XCTAssertEqual(day.end - day.start, 23 * 3600)
    }

    func testISOWeekAcrossTheYearEnd() {
        // 2026 has 53 ISO weeks: Friday 2027-01-01 belongs to 2026-W53.
        let newYear = moscow.instant(of: CivilTime(year: 2027, month: 1, day: 1, hour: 12))
        let week = ReportPeriod.week(containing: newYear, zone: moscow)
        XCTAssertEqual(week.isoWeek, "2026-W53")
        XCTAssertEqual(week.firstDay, CivilTime(year: 2026, month: 12, day: 28))
        XCTAssertEqual(ReportPeriod.week(containing: at(2, 12), zone: moscow).isoWeek, "2026-W10")
    }

    func testJSONAndCSVNameTheSameFields() throws {
        let report = sampleReport()
        let json = try JSONSerialization.jsonObject(with: Data(report.rendered(as: .json, zone: moscow).utf8)) as? [[String: Any]]
        let object = try XCTUnwrap(json?.first)
        XCTAssertEqual(object["missed_calls"] as? Int, 7)
        XCTAssertEqual(object["from"] as? String, "2026-03-10T00:00:00+03:00")
        XCTAssertEqual((object["missed_by_hour"] as? [Int])?.count, 24)
        let managers = try XCTUnwrap(object["managers"] as? [[String: Any]])
        XCTAssertEqual(managers.first?["called_back"] as? Int, 2)
        XCTAssertTrue(managers.last?["manager_id"] is NSNull)

        let csv = report.rendered(as: .csv, zone: moscow).split(separator: "\n", omittingEmptySubsequences: false)
        let managerHeader = try XCTUnwrap(csv.first { $0.hasPrefix("section,manager_id") })
        XCTAssertEqual(managerHeader, "section,manager_id,name,missed,called_back,late,still_open,no_contact")
        XCTAssertTrue(csv.contains("managers,m1,Anna,3,2,1,0,0"))
        XCTAssertTrue(csv.contains { $0.hasPrefix("summary,day,") && $0.contains(",7,6,2,33.3,20,40,30") }, "\(csv)")
    }

    func testHTMLIsSelfContainedAndDrawsItsChartsWithTables() {
        let html = sampleReport().rendered(as: .html, zone: moscow)
        for forbidden in ["<script", "<svg", "http://", "https://", "<link", "<img", "url("] {
            XCTAssertFalse(html.lowercased().contains(forbidden), forbidden)
        }
        XCTAssertTrue(html.contains("bgcolor=\"#c62828\""), "bars are coloured table cells")
        XCTAssertTrue(html.contains("Anna"))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
    }
}
