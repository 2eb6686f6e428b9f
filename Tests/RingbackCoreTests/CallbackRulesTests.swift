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

    /// SPEC §9.2: a directory change names what it touched; being away is no change.
    func testADirectoryChangeNamesTheEntriesItChangedWithWhatTheyHeldBeforeAndAfter() {
        let moved = Directory(managers: [Manager(id: "m1", name: "Anna", extensions: ["105"], login: "anna", email: "", role: .manager,
                                             awayUntil: 5000)],
                          clients: [Client(id: "c1", name: "Alfa", abc: .A, phones: ["+79160000000"], managerID: "m1"),
                                    Client(id: "c2", name: "Beta", abc: nil, phones: ["+79162223344"], managerID: nil)])
        let change = DirectoryChange(from: directory, to: moved)
        XCTAssertEqual(change.extensions, ["101", "105"])
        XCTAssertEqual(change.managerIDs, ["m1"])
        XCTAssertEqual(change.clientIDs, ["c1", "c2"])
        XCTAssertEqual(change.numbers, ["+79161234567", "+79160000000", "+79162223344"])
        let away = Directory(managers: directory.managers.map { var m = $0; m.awayUntil = 5000; return m }, clients: directory.clients)
        XCTAssertTrue(DirectoryChange(from: directory, to: away).isEmpty, "away is no change of ownership")
        XCTAssertTrue(DirectoryChange(from: directory, to: directory).isEmpty)
        let stranger = OpenCallbackOwnership(callbackID: 1, number: "+79035551234", clientID: nil, managerID: nil,
                                             assignedByHand: false, firstMissedAt: 1000, extensionNumber: "102", slaDueAt: 2800)
        XCTAssertFalse(change.touches(stranger))
        var rangAnna = stranger
        rangAnna.extensionNumber = "101"
        XCTAssertTrue(change.touches(rangAnna))
    }

    /// The owner follows the directory unless set by hand; a manager away keeps theirs and
    /// gets nothing new; nil when nothing changes.
    func testReownedFollowsTheDirectoryButNotToAnAwayManagerNorOverAHandSetOwner() {
        let queued = OpenCallbackOwnership(callbackID: 1, number: "+79161234567", clientID: "c1", managerID: nil,
                                           assignedByHand: false, firstMissedAt: 1000, extensionNumber: nil, slaDueAt: 1900)
        XCTAssertEqual(rules.reowned(queued, directory: directory, now: 3000),
                       OwnershipUpdate(managerID: "m1", clientID: "c1", slaDueAt: 1900))
        let annaAway = Directory(managers: directory.managers.map { var m = $0; m.awayUntil = 5000; return m }, clients: directory.clients)
        XCTAssertNil(rules.reowned(queued, directory: annaAway, now: 3000), "stays in the queue while she is away")
        XCTAssertEqual(rules.reowned(queued, directory: annaAway, now: 5000)?.managerID, "m1", "back at 5000: hers")
        var hers = queued
        hers.managerID = "m1"
        XCTAssertNil(rules.reowned(hers, directory: annaAway, now: 3000), "hers already: stays hers")
        var byHand = queued
        byHand.managerID = "m2"
        byHand.assignedByHand = true
        byHand.slaDueAt = 9999
        XCTAssertEqual(rules.reowned(byHand, directory: directory, now: 3000),
                       OwnershipUpdate(managerID: "m2", clientID: "c1", slaDueAt: 1900), "the owner stays; the due time follows the SLA")
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
