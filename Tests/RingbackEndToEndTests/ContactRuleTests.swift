import Foundation
import XCTest

/// SPEC §4.4: an answered call must be followed by a CRM contact within the grace.
final class ContactRuleTests: XCTestCase {
    var harness: RingbackHarness!
    override func setUpWithError() throws { harness = try RingbackHarness() }
    override func tearDown() { harness.remove() }

    private func importContacts(_ name: String) throws {
        let output = try harness.run(["import", "contacts", RingbackHarness.fixtures.appendingPathComponent("directory/\(name).csv").path])
        XCTAssertEqual(output.status, 0, output.stderr)
    }

    private func noContactAlerts() throws -> [[String: Any]] { try harness.json(["alerts", "--kind", "no_contact"]) }

    func testContactInTimeRaisesNoAlert() throws {
        try harness.load()
        try importContacts("contacts-in-time")
        try harness.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/answered-for-contact.csv").path])
        XCTAssertEqual(try noContactAlerts().count, 0)
    }

    func testMissingContactRaisesAlertAtEndPlusGrace() throws {
        try harness.load("answered-for-contact")
        let alerts = try noContactAlerts()
        XCTAssertEqual(alerts.count, 1)
        XCTAssertEqual(alerts[0].text("raised_at"), "2026-03-10T12:02:20+03:00", "call ended 10:02:20, grace 120 min")
        XCTAssertEqual(alerts[0].text("manager_id"), "m1")
        XCTAssertEqual(alerts[0].text("client_id"), "c1")
        XCTAssertEqual(try harness.json(["alerts", "--kind", "no_contact", "--at", "2026-03-10 12:00"]).count, 0)
    }

    func testContactAfterTheGraceDoesNotResolve() throws {
        try harness.load("answered-for-contact")
        try importContacts("contacts-late")
        XCTAssertEqual(try noContactAlerts().first?.text("state"), "open")
    }

    func testContactInTimeImportedAfterTheAlertResolvesIt() throws {
        try harness.load("answered-for-contact")
        XCTAssertEqual(try noContactAlerts().first?.text("state"), "open")
        try importContacts("contacts-in-time")
        let alert = try XCTUnwrap(try noContactAlerts().first)
        XCTAssertEqual(alert.text("state"), "resolved")
        XCTAssertEqual(alert.text("resolution"), "contact_found")
    }

    func testTransferFromReceptionIsCreditedToTheLongestAnswer() throws {
        try harness.load("transfer-reception-to-sales")
        XCTAssertEqual(try harness.json(["missed", "--since", "2026-03-10"]).count, 0)
        let alert = try XCTUnwrap(try noContactAlerts().first)
        XCTAssertEqual(alert.text("manager_id"), "m1", "reception talked 20 s, Anna 300 s")
        XCTAssertEqual(alert.text("raised_at"), "2026-03-10T12:05:31+03:00")
    }

    func testReceptionAnswersNeedNoContact() throws {
        try harness.load("answered-by-reception")
        XCTAssertEqual(try noContactAlerts().count, 0)
    }
}
