import RingbackCore
import XCTest

final class CallbackRulesTests: XCTestCase {
    let rules = CallbackRules(settings: RuleSettings(ignored: ["+74950000000"]))
    let directory = Directory(
        managers: [Manager(id: "m1", name: "Anna", extensions: ["101"], login: "anna", email: "", role: .manager)],
        clients: [Client(id: "c1", name: "Alfa", abc: .A, phones: ["+79161234567"], managerID: "m1")])

    private func call(_ direction: CallDirection, at start: Int64, answered: Bool, number: String = "+79161234567",
                      ext: String? = "101", rang: [String] = ["101"]) -> Call {
        Call(callID: "c\(start)", startedAt: start, endedAt: start + 60, direction: direction, number: number,
             rawNumber: number, answered: answered, extensionNumber: ext, rangExtensions: rang, voicemail: false,
             talkSeconds: answered ? 55 : 0, legCount: 1)
    }

    func testMissedCallOfAClientOpensACallbackForItsManagerDueBySLA() {
        let decision = rules.decide(call(.inbound, at: 1000, answered: false), directory: directory, openCallback: nil)
        XCTAssertEqual(decision.callbackAction,
                       .open(NewCallback(number: "+79161234567", clientID: "c1", ownerID: "m1", dueAt: 1000 + 15 * 60, missedAt: 1000)))
    }

    func testRepeatMissCountsOnTheOpenCallback() {
        let open = OpenCallback(id: 7, firstMissedAt: 1000, dueAt: 1900)
        let decision = rules.decide(call(.inbound, at: 1300, answered: false), directory: directory, openCallback: open)
        XCTAssertEqual(decision.callbackAction, .countMissed(callbackID: 7))
    }

    func testAnsweredOutboundResolvesUnansweredCountsAnAttempt() {
        let open = OpenCallback(id: 7, firstMissedAt: 1000, dueAt: 1900)
        XCTAssertEqual(rules.decide(call(.outbound, at: 1500, answered: false), directory: directory, openCallback: open).callbackAction,
                       .countAttempt(callbackID: 7))
        XCTAssertEqual(rules.decide(call(.outbound, at: 2000, answered: true), directory: directory, openCallback: open).callbackAction,
                       .resolve(callbackID: 7, resolution: .calledBack, creditedTo: "m1", late: true, dueAt: 1900))
    }

    func testACallThatStartedBeforeTheMissCannotAnswerIt() {
        // A long outbound call from 900 to 2700 is written (and read) after a miss at 1000.
        let open = OpenCallback(id: 7, firstMissedAt: 1000, dueAt: 1900)
        XCTAssertNil(rules.decide(call(.outbound, at: 900, answered: true), directory: directory, openCallback: open).callbackAction)
        XCTAssertNil(rules.decide(call(.inbound, at: 900, answered: true), directory: directory, openCallback: open).callbackAction)
    }

    func testIgnoredNumberGetsNoRule() {
        let decision = rules.decide(call(.inbound, at: 1000, answered: false, number: "+74950000000"), directory: directory,
                                    openCallback: nil)
        XCTAssertNil(decision.callbackAction)
        XCTAssertTrue(decision.ignored)
    }

    func testAnsweredByAManagerNeedsAContactWithinGrace() {
        let decision = rules.decide(call(.inbound, at: 1000, answered: true), directory: directory, openCallback: nil)
        XCTAssertEqual(decision.contactCheck?.deadline, 1060 + 120 * 60)
        XCTAssertEqual(decision.contactCheck?.managerID, "m1")
        let reception = rules.decide(call(.inbound, at: 1000, answered: true, ext: "200"), directory: directory, openCallback: nil)
        XCTAssertNil(reception.contactCheck, "reception is exempt unless all_extensions")
    }

    func testUnknownNumberOwnerIsTheOneExtensionThatRangElseNobody() {
        let direct = rules.decide(call(.inbound, at: 1000, answered: false, number: "+79035550000"), directory: directory,
                                  openCallback: nil)
        guard case .open(let new)? = direct.callbackAction else { return XCTFail() }
        XCTAssertEqual(new.ownerID, "m1")
        XCTAssertEqual(new.dueAt, 1000 + 30 * 60)
        let group = rules.decide(call(.inbound, at: 1000, answered: false, number: "+79035550000", ext: nil, rang: ["101", "102"]),
                                 directory: directory, openCallback: nil)
        guard case .open(let unassigned)? = group.callbackAction else { return XCTFail() }
        XCTAssertNil(unassigned.ownerID)
    }
}
