import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import XCTest

/// A silent PBX is an alert (SPEC §8.5), on a clock the test moves: no CDR from any source
/// for `pbx_silent_after` minutes of working time raises one `pbx_silent` for the head per
/// silence, and the next CDR resolves it.
final class PBXSilenceTests: XCTestCase {
    private var directory: URL!
    private let zone = ZoneConverter(identifier: "Europe/Moscow")!
    private let time = TestTime()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-silence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func set(_ text: String) { time.set(text, zone: zone) }

    func testOneAlertPerSilenceInWorkingTimeResolvedByTheNextCDR() async throws {
        let configuration = try ConfigurationParser.parse("""
            [calendar]
            timezone = "Europe/Moscow"
            working_days = ["Mon", "Tue", "Wed", "Thu", "Fri"]
            working_hours = "09:00-18:00"
            [alerts]
            pbx_silent_after = 60
            """, file: "t.toml")
        let test = try TestStore(in: directory)
        let setup = try Store(test.location)
        try setup.transaction {
            try setup.upsertManagers([Manager(id: "h1", name: "Head", extensions: [], login: "", email: "", role: .head)], includingAway: false)
        }
        let reader = try Store(test.location, create: false, access: .read)
        func silenceAlerts() throws -> [AlertRecord] {
            try reader.alerts(at: .max, kind: .pbxSilent, state: nil, managerID: nil)
        }
        let clock = time.clock
        set("2026-03-10 09:30")  // a Tuesday
        let writer = try StoreWriter(store: test.location, configuration: configuration, clock: clock)
        set("2026-03-10 10:00")
        _ = try await writer.commit(try fixtureBatch("direct-answered", zone: zone))

        set("2026-03-10 10:59:30")
        _ = try await writer.tick()
        XCTAssertEqual(try silenceAlerts().count, 0, "59 minutes are not a silence")
        set("2026-03-10 11:00:10")
        _ = try await writer.tick()
        let raised = try silenceAlerts()
        XCTAssertEqual(raised.count, 1)
        XCTAssertEqual(raised.first?.raisedAt, TimeParsing.instant("2026-03-10 11:00", zone: zone))
        XCTAssertEqual(raised.first?.managerID, "h1", "for the head")
        set("2026-03-10 11:30")
        _ = try await writer.tick()
        XCTAssertEqual(try silenceAlerts().count, 1, "once per silence")

        set("2026-03-10 17:40")
        _ = try await writer.commit(try fixtureBatch("unknown-number-direct", zone: zone))
        XCTAssertEqual(try silenceAlerts().first?.state, .resolved)
        XCTAssertEqual(try silenceAlerts().first?.resolution, "cdr_arrived")

        // 20 working minutes before six, the night and the day off do not count.
        set("2026-03-11 09:39")
        _ = try await writer.tick()
        XCTAssertEqual(try silenceAlerts().count, 1)
        set("2026-03-11 09:41")
        _ = try await writer.tick()
        let second = try silenceAlerts()
        XCTAssertEqual(second.count, 2, "a new silence, a new alert")
        XCTAssertEqual(second.last?.raisedAt, TimeParsing.instant("2026-03-11 09:40", zone: zone))
    }

    /// Without a working calendar silence is never an alert: nights and days off are quiet.
    func testWithoutAWorkingCalendarSilenceIsNoAlert() async throws {
        let configuration = try ConfigurationParser.parse("[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "t.toml")
        let test = try TestStore(in: directory)
        let clock = time.clock
        set("2026-03-10 10:00")
        let writer = try StoreWriter(store: test.location, configuration: configuration, clock: clock)
        _ = try await writer.commit(try fixtureBatch("direct-answered", zone: zone))
        set("2026-03-12 10:00")
        _ = try await writer.tick()
        let reader = try Store(test.location, create: false, access: .read)
        XCTAssertEqual(try reader.alerts(at: .max, kind: .pbxSilent, state: nil, managerID: nil).count, 0)
    }

    /// SPEC §10: each office's PBX has its own last CDR and silence alert; Moscow's traffic
    /// does not hide Kazan's silence, and Moscow's CDR does not resolve it.
    func testEachOfficesPBXIsSilentOnItsOwn() throws {
        let test = try TestStore(in: directory)
        let moscow = try Store(test.location), kazan = try Store(test.location)
        try moscow.registerOffice("msk", now: 1000)
        try kazan.registerOffice("kzn", now: 1000)
        XCTAssertEqual(try moscow.offices(), ["msk", "kzn"])
        try moscow.transaction { try moscow.noteCDRArrival(now: 2000, resolvingSilence: false) }
        XCTAssertEqual(try moscow.lastCDRArrival(), 2000)
        XCTAssertNil(try kazan.lastCDRArrival())
        XCTAssertTrue(try kazan.transaction { try kazan.raiseSilenceAlert(at: 5000, since: 1000, headID: nil) })
        XCTAssertTrue(try kazan.hasOpenSilenceAlert())
        XCTAssertFalse(try moscow.hasOpenSilenceAlert())
        try moscow.transaction { try moscow.noteCDRArrival(now: 6000, resolvingSilence: true) }
        XCTAssertTrue(try kazan.hasOpenSilenceAlert(), "Moscow's CDR says nothing of Kazan's PBX")
        try kazan.transaction { try kazan.noteCDRArrival(now: 7000, resolvingSilence: true) }
        XCTAssertFalse(try kazan.hasOpenSilenceAlert())
    }
}
