import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import XCTest

/// The webhook outbox (SPEC §8.6): events filed by whoever changes the state, in the same
/// transaction; one callback's events handed out in order; a backfill's kept, not sent.
final class WebhookOutboxTests: XCTestCase {
    private var directory: URL!
    private let zone = ZoneConverter(identifier: "Europe/Moscow")!
    private let time = TestTime()
    private let crm = "https://crm.example/hooks/ringback"
    private let chat = "https://chat.example/ringback"

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    private func configuration() throws -> RingbackConfiguration {
        try ConfigurationParser.parse("""
            [calendar]
            timezone = "Europe/Moscow"
            [hooks]
            max_age = 60
            [[webhook]]
            url = "\(crm)"
            secret_file = "/etc/ringback/crm.secret"
            [[webhook]]
            url = "\(chat)"
            secret_file = "/etc/ringback/chat.secret"
            events = ["callback.resolved"]
            """, file: "t.toml")
    }

    private func events(_ test: TestStore) throws -> [String] {
        try test.query("SELECT url || ' ' || event || ' ' || state FROM webhook_outbox ORDER BY delivery_id")
            .split(separator: "\n").map { $0.replacingOccurrences(of: "https://", with: "") }
    }

    func testEventsAreFiledWithTheChangeForTheWebhooksThatWantThemAndHandedOutInOrder() async throws {
        let test = try TestStore(in: directory)
        let configuration = try configuration()
        time.set("2026-03-10 10:00:30", zone: zone)
        let writer = try StoreWriter(store: test.location, configuration: configuration, clock: time.clock)
        _ = try await writer.commit(try fixtureBatch("ring-group-nobody-answers", zone: zone))
        time.set("2026-03-10 10:01:00", zone: zone)
        _ = try await writer.tick()
        XCTAssertEqual(try events(test), ["crm.example/hooks/ringback callback.opened pending",
                                          "crm.example/hooks/ringback alert.raised pending"],
                       "the daemon filed the new callback and its alert for the webhook that wants them, and only for it")

        let store = try Store(test.location, create: false, access: .write)
        store.fileWebhookEvents(configuration.webhookRouting, clock: time.clock.wallSeconds)
        let now = time.clock.wallSeconds()
        let callbackID = try XCTUnwrap(try store.pending(at: now, managerID: nil, overdueOnly: false).first?.callbackID)
        try store.closeCallback(callbackID, reason: "spoke on a mobile", by: "anna", now: now, headID: nil)
        XCTAssertEqual(try events(test).suffix(2), ["crm.example/hooks/ringback callback.resolved pending",
                                                    "chat.example/ringback callback.resolved pending"])
        XCTAssertThrowsError(try store.closeCallback(callbackID, reason: "again", by: "anna", now: now, headID: nil))
        XCTAssertEqual(try events(test).count, 4, "a change refused files nothing")
        let eventIDs = try test.query("SELECT count(DISTINCT event_id) FROM webhook_outbox WHERE event = 'callback.resolved'")
        XCTAssertEqual(eventIDs, "1", "one event, one id, whichever webhook it goes to")

        // In order per callback: the alert waits for the callback's opening, the resolution for both.
        var due = try store.dueWebhookDeliveries(url: crm, now: now, limit: 10)
        XCTAssertEqual(due.map(\.event), [.callbackOpened])
        try store.finishWebhookAttempt(deliveryID: due[0].deliveryID, .retry(at: now + 4, error: "HTTP 503"), now: now)
        XCTAssertEqual(try store.dueWebhookDeliveries(url: crm, now: now, limit: 10), [], "the head waits for its retry")
        due = try store.dueWebhookDeliveries(url: crm, now: now + 4, limit: 10)
        XCTAssertEqual(due.map(\.event), [.callbackOpened])
        XCTAssertEqual(due[0].attempts, 1)
        try store.finishWebhookAttempt(deliveryID: due[0].deliveryID, .delivered, now: now + 4)
        due = try store.dueWebhookDeliveries(url: crm, now: now + 4, limit: 10)
        XCTAssertEqual(due.map(\.event), [.alertRaised])
        XCTAssertEqual(try store.dueWebhookDeliveries(url: chat, now: now, limit: 10).map(\.event), [.callbackResolved],
                       "another webhook's order is its own")

        // A webhook no longer configured: what waited for it fails, with the reason.
        XCTAssertEqual(try store.abandonWebhookDeliveries(notTo: [crm], now: now), 1)
        XCTAssertEqual(try store.webhookDeliveryCounts(), ["delivered": 1, "pending": 2, "failed": 1])
    }

    func testABackfillsEventsAreKeptButNotSent() async throws {
        let test = try TestStore(in: directory)
        time.set("2026-03-10 12:00", zone: zone)
        let writer = try StoreWriter(store: test.location, configuration: try configuration(), clock: time.clock)
        _ = try await writer.commit(try fixtureBatch("ring-group-nobody-answers", zone: zone))
        time.set("2026-03-10 12:01", zone: zone)  // the call has settled
        _ = try await writer.tick()
        XCTAssertEqual(try events(test), ["crm.example/hooks/ringback callback.opened skipped",
                                          "crm.example/hooks/ringback alert.raised skipped",
                                          "crm.example/hooks/ringback alert.raised skipped"],
                       "the missed call and the callback overdue since 10:30, both more than [hooks] max_age old when written")
        let store = try Store(test.location, create: false, access: .read)
        XCTAssertEqual(try store.dueWebhookDeliveries(url: crm, now: time.clock.wallSeconds() + 86_400, limit: 10), [])
        XCTAssertEqual(try store.webhookDeliveryCounts(), ["skipped": 3])
    }

    func testAStoreWithoutWebhooksFilesNothing() async throws {
        let test = try TestStore(in: directory)
        time.set("2026-03-10 10:01", zone: zone)
        let writer = try StoreWriter(store: test.location, configuration: try ConfigurationParser.parse("", file: "t.toml"),
                                     clock: time.clock)
        _ = try await writer.commit(try fixtureBatch("ring-group-nobody-answers", zone: zone))
        time.set("2026-03-10 10:02", zone: zone)
        _ = try await writer.tick()
        XCTAssertEqual(try test.query("SELECT count(*) FROM callbacks"), "1")
        XCTAssertEqual(try events(test), [])
    }
}
