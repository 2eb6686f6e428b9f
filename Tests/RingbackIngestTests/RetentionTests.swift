import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import XCTest

/// `[store] keep_days` (SPEC §6): what is older goes, in chunks, once a day; an open
/// callback keeps its calls.
final class RetentionTests: XCTestCase {
    private var directory: URL!
    private let zone = ZoneConverter(identifier: "Europe/Moscow")!
    private let time = TestTime()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-retention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testOldCallsLegsAndContactsGoAndAnOpenCallbackKeepsItsCalls() async throws {
        let test = try TestStore(in: directory)
        let configuration = try ConfigurationParser.parse("""
            [store]
            keep_days = 30
            [calendar]
            timezone = "Europe/Moscow"
            """, file: "t.toml")
        time.set("2026-03-10 09:00", zone: zone)
        let writer = try StoreWriter(store: test.location, configuration: configuration, clock: time.clock)
        // March: an answered call and a callback resolved by a call back; three misses of
        // another number whose callback stays open.
        for fixture in ["direct-answered", "callback-after-due", "three-misses"] {
            _ = try await writer.commit(try fixtureBatch(fixture, zone: zone))
        }
        time.set("2026-03-10 09:01", zone: zone)
        _ = try await writer.tick()
        let store = try Store(test.location, create: false, access: .read)
        let contact = Contact(id: "k1", createdAt: TimeParsing.instant("2026-03-10 10:30", zone: zone)!, managerID: "m1",
                              clientID: "c1", phone: nil, kind: "call", note: "old")
        let writable = try Store(test.location, create: false, access: .write)
        try writable.transaction { _ = try writable.upsertContacts([contact], now: 0) }
        func count(_ table: String) throws -> Int { Int(try test.query("SELECT count(*) FROM \(table)")) ?? -1 }
        let openCalls = Int(try test.query("""
            SELECT count(*) FROM callback_calls WHERE callback_id IN (SELECT callback_id FROM callbacks WHERE state = 'open')
            """)) ?? -1
        XCTAssertEqual(openCalls, 3)
        XCTAssertGreaterThan(try count("calls"), openCalls)

        time.set("2026-04-05 09:00", zone: zone)
        let early = try await writer.purgeExpired()
        XCTAssertEqual(early, 0, "nothing is 30 days old yet")
        time.set("2026-05-01 09:00", zone: zone)
        var chunks = 0
        while try await writer.purgeExpired(chunk: 2) > 0 { chunks += 1 }
        XCTAssertGreaterThan(chunks, 1, "in chunks, so ingestion goes on between them")
        XCTAssertEqual(try count("calls"), openCalls, "only the open callback's calls are left")
        XCTAssertEqual(try count("contacts"), 0)
        XCTAssertEqual(try test.query("SELECT count(*) FROM legs WHERE call_id NOT IN (SELECT call_id FROM calls)"), "0")
        XCTAssertEqual(try count("callbacks"), 2, "callbacks stay, for the report")
        XCTAssertEqual(try store.pending(at: .max, managerID: nil, overdueOnly: false).first?.missedCount, 3)
        // Once a day: a second purge the same day does nothing even with new old rows.
        try writable.transaction { _ = try writable.upsertContacts([contact], now: 0) }
        let sameDay = try await writer.purgeExpired()
        XCTAssertEqual(sameDay, 0)
        time.set("2026-05-02 09:30", zone: zone)
        let nextDay = try await writer.purgeExpired()
        XCTAssertEqual(nextDay, 1)
    }
}
