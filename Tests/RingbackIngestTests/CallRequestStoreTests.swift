import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import XCTest

/// Call requests in the store (SPEC §9.1), at set times: one under way per callback, one a
/// person in 10 s, and what a daemon without its link left behind blocking nobody.
final class CallRequestStoreTests: XCTestCase {
    private var directory: URL!
    private let zone = ZoneConverter(identifier: "Europe/Moscow")!
    private let time = TestTime()

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-calls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A store whose daemon judged a missed call (its callback open) at 10:01.
    private func storeWithAnOpenCallback() async throws -> TestStore {
        let test = try TestStore(in: directory)
        let configuration = try ConfigurationParser.parse("[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "t.toml")
        time.set("2026-03-10 10:00:30", zone: zone)
        let writer = try StoreWriter(store: test.location, configuration: configuration, clock: time.clock)
        _ = try await writer.commit(try fixtureBatch("ring-group-nobody-answers", zone: zone))
        time.set("2026-03-10 10:01:00", zone: zone)
        _ = try await writer.tick()
        return test
    }

    /// SPEC §10: a request for Kazan's extension is sent by Kazan's daemon, through its PBX;
    /// Moscow's daemon leaves it alone, and its staleness sweep does not fail it either.
    func testOnlyTheDaemonOfTheExtensionsOfficeSendsTheRequest() async throws {
        let test = try await storeWithAnOpenCallback()
        let moscow = try Store(test.location), kazan = try Store(test.location)
        try moscow.registerOffice("msk", now: 0)
        try kazan.registerOffice("kzn", now: 0)
        let now = time.clock.wallSeconds()
        let callback = try XCTUnwrap(try moscow.pending(at: now, managerID: nil, overdueOnly: false).first)
        let action = OriginateAction(channel: "PJSIP/101", context: "from-internal", exten: "89035550707",
                                     callerID: "Callback", timeoutSeconds: 30)
        let filed = try moscow.fileCallRequest(callbackID: callback.callbackID, requestedBy: "ivan", managerID: "m3",
                                               extensionNumber: "101", office: "kzn", number: callback.number, action: action,
                                               now: now, interval: 10)
        XCTAssertEqual(try moscow.claimQueuedCallRequests(now: now + 1, staleAfter: CallRequest.staleQueuedSeconds).count, 0)
        XCTAssertEqual(try moscow.claimQueuedCallRequests(now: now + 100, staleAfter: CallRequest.staleQueuedSeconds).count, 0)
        XCTAssertEqual(try moscow.callRequest(filed.requestID)?.state, .queued, "Moscow's sweep fails only its own")
        XCTAssertEqual(try kazan.claimQueuedCallRequests(now: now + 2, staleAfter: 3600).map(\.requestID), [filed.requestID])
    }

    func testOneUnderWayACallbackAndWhatNobodySentFailsInTime() async throws {
        let test = try await storeWithAnOpenCallback()
        let store = try Store(test.location, create: false, access: .write)
        let now = time.clock.wallSeconds()
        let callback = try XCTUnwrap(try store.pending(at: now, managerID: nil, overdueOnly: false).first)
        let action = OriginateAction(channel: "PJSIP/101", context: "from-internal", exten: "89035550707",
                                     callerID: "Callback", timeoutSeconds: 30)
        func file(by asker: String, at instant: Int64) throws -> CallRequest {
            try store.fileCallRequest(callbackID: callback.callbackID, requestedBy: asker, managerID: "m1", extensionNumber: "101", office: "",
                                      number: callback.number, action: action, now: instant, interval: 10)
        }
        let first = try file(by: "anna", at: now)
        XCTAssertEqual(first.state, .queued)
        XCTAssertThrowsError(try file(by: "helen", at: now + 5)) { error in
            guard case StoreRequestError.busy = error else { return XCTFail("\(error)") }
        }
        // No daemon sent it: 15 s on, it has failed, and a new request may be filed.
        let second = try file(by: "helen", at: now + CallRequest.staleQueuedSeconds + 1)
        XCTAssertEqual(try store.callRequest(first.requestID)?.state, .failed)
        XCTAssertTrue(try store.callRequest(first.requestID)?.reason?.contains("no AMI link") == true)
        XCTAssertThrowsError(try file(by: "helen", at: now + CallRequest.staleQueuedSeconds + 2)) { error in
            guard case StoreRequestError.busy = error else { return XCTFail("\(error)") }
        }

        // The daemon claims it (sent), the PBX never answers: after the ringing time and the
        // grace, it fails and no longer blocks.
        let claimed = try store.claimQueuedCallRequests(now: now + 17, staleAfter: CallRequest.staleQueuedSeconds)
        XCTAssertEqual(claimed.map(\.requestID), [second.requestID])
        XCTAssertEqual(claimed.first?.state, .sent)
        XCTAssertThrowsError(try file(by: "anna", at: now + 40)) { error in
            guard case StoreRequestError.busy = error else { return XCTFail("\(error)") }
        }
        let third = try file(by: "anna", at: now + 17 + 30 + CallRequest.answerGraceSeconds + 1)
        XCTAssertEqual(try store.callRequest(second.requestID)?.state, .failed)
        XCTAssertEqual(third.state, .queued)
        // One a person in 10 s, whatever the callback.
        XCTAssertThrowsError(try file(by: "anna", at: third.requestedAt + 3)) { error in
            guard case StoreRequestError.busy = error else { return XCTFail("\(error)") }
        }
        try store.finishCallRequest(third.requestID, connected: true, reason: nil, now: third.requestedAt + 8)
        XCTAssertThrowsError(try file(by: "anna", at: third.requestedAt + 9)) { error in
            guard case StoreRequestError.tooSoon = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try file(by: "anna", at: third.requestedAt + 11).state, .queued)
        XCTAssertEqual(try store.callRequests(ofCallback: callback.callbackID).count, 4)
    }
}
