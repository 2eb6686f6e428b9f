import RingbackCore
import XCTest

final class CallAssemblerTests: XCTestCase {
    private let timing = AssemblyTiming(settleMilliseconds: 100, mergeWindowSeconds: 5, maxHoldMinutes: 240)

    /// The caller's own row: its uniqueid is the linkedid, its channel a trunk.
    private func leg(linked: String?, start: Int64, source: String = "89161234567") -> CallLeg {
        var leg = CallLeg()
        leg.linkedID = linked
        leg.uniqueID = linked
        leg.source = source
        leg.start = start
        leg.end = start + 10
        leg.channel = "PJSIP/trunk-\(start)"
        return leg
    }

    private func localLeg(unique: String, linked: String? = nil, channel: String, destination: String, start: Int64,
                          answered: Bool = false) -> CallLeg {
        var leg = CallLeg()
        leg.uniqueID = unique
        leg.linkedID = linked
        leg.channel = channel
        leg.destinationChannel = destination
        leg.source = "89161234567"
        leg.start = start
        leg.end = start + 20
        leg.disposition = answered ? .answered : .noAnswer
        return leg
    }

    private func pending(_ id: Int64, _ leg: CallLeg, received: Int64 = 1_000) -> PendingLeg {
        PendingLeg(id: id, leg: leg, receivedAt: received)
    }

    func testAQueueMembersHalfWaitsForTheCallersRow() {
        var assembler = CallAssembler(timing: timing)
        // 104's half hangs up when 105 answers: written minutes before the caller's row.
        assembler.add(pending(1, localLeg(unique: "1700.14", linked: "1700.12", channel: "Local/104@from-queue-00000000;2",
                                          destination: "PJSIP/104-00000007", start: 102)), now: 0)
        assembler.add(pending(2, leg(linked: "other", start: 300)), now: 10)
        let early = assembler.takeComplete(now: 600_000, wallNow: 1_000)
        XCTAssertEqual(early.map(\.callID), ["other"], "the queue call is not complete without the caller's row")
        XCTAssertEqual(assembler.heldParties()["89161234567"], 102, "the held call holds back its own number only")
        var caller = leg(linked: "1700.12", start: 100)
        caller.uniqueID = "1700.12"
        assembler.add(pending(3, caller), now: 600_010)
        XCTAssertTrue(assembler.takeComplete(now: 600_050, wallNow: 1_000).isEmpty, "it ends the data read: it settles")
        let done = assembler.takeComplete(now: 600_200, wallNow: 1_000)
        XCTAssertEqual(done.map(\.callID), ["1700.12"])
        XCTAssertEqual(done.first?.legs.map(\.id), [1, 3])
        XCTAssertEqual(done.first?.incomplete, false)
    }

    func testTheAnsweringHalfIsWaitedForAfterTheCallersRow() {
        var assembler = CallAssembler(timing: timing)
        var caller = localLeg(unique: "1700.12", linked: "1700.12", channel: "PJSIP/trunk-00000006",
                              destination: "Local/105@from-queue-00000001;1", start: 100, answered: true)
        caller.lastApplication = "Queue"
        assembler.add(pending(1, caller), now: 0)
        assembler.add(pending(2, leg(linked: "next", start: 130)), now: 10)
        XCTAssertEqual(assembler.takeComplete(now: 5_000, wallNow: 1_000).map(\.callID), ["next"],
                       "105 answered through Local/…;1: its ;2 row says who it was")
        assembler.add(pending(3, localLeg(unique: "1700.15", linked: "1700.12", channel: "Local/105@from-queue-00000001;2",
                                          destination: "PJSIP/105-00000009", start: 101, answered: true)), now: 6_000)
        assembler.add(pending(4, leg(linked: "later", start: 140)), now: 6_010)
        XCTAssertEqual(assembler.takeComplete(now: 6_020, wallNow: 1_000).map(\.callID), ["1700.12"])
    }

    func testTheAnsweringHalfIsNotWaitedForForever() {
        var assembler = CallAssembler(timing: timing)
        assembler.add(pending(1, localLeg(unique: "1700.12", linked: "1700.12", channel: "PJSIP/trunk-00000006",
                                          destination: "Local/105@from-queue-00000001;1", start: 100, answered: true)), now: 0)
        assembler.add(pending(2, leg(linked: "next", start: 130)), now: 10)
        XCTAssertEqual(assembler.takeComplete(now: 61_000, wallNow: 1_000).map(\.callID), ["1700.12", "next"])
    }

    func testKeylessRowsMergeWithinTheWindow() {
        var assembler = CallAssembler(timing: timing)
        assembler.add(pending(1, leg(linked: nil, start: 100)), now: 0)
        assembler.add(pending(2, leg(linked: nil, start: 103)), now: 0)
        assembler.add(pending(3, leg(linked: nil, start: 200)), now: 0)
        let all = assembler.takeAll()
        XCTAssertEqual(all.map { $0.legs.map(\.id) }, [[1, 2], [3]])
    }

    func testCallsComeOutInStartOrder() {
        var assembler = CallAssembler(timing: timing)
        assembler.add(pending(1, leg(linked: "late", start: 500)), now: 0)
        assembler.add(pending(2, leg(linked: "early", start: 100)), now: 0)
        XCTAssertEqual(assembler.takeAll().map(\.callID), ["early", "late"])
        XCTAssertTrue(assembler.isEmpty)
    }

    func testLocalHalvesJoinWithoutLinkedIDInEitherOrder() {
        var assembler = CallAssembler(timing: timing)
        // The agent half is written before the caller's leg, as Asterisk does.
        assembler.add(pending(1, localLeg(unique: "1700.14", channel: "Local/101@from-queue-00000000;2",
                                          destination: "PJSIP/101-00000007", start: 102)), now: 0)
        assembler.add(pending(2, localLeg(unique: "1700.12", channel: "PJSIP/trunk-00000006",
                                          destination: "Local/101@from-queue-00000000;1", start: 100)), now: 0)
        assembler.add(pending(3, localLeg(unique: "1700.12", channel: "PJSIP/trunk-00000006",
                                          destination: "Local/102@from-queue-00000001;1", start: 100)), now: 0)
        assembler.add(pending(4, localLeg(unique: "1700.16", channel: "Local/102@from-queue-00000001;2",
                                          destination: "PJSIP/102-00000008", start: 102)), now: 0)
        assembler.add(pending(5, leg(linked: "next", start: 300)), now: 0)
        let done = assembler.takeComplete(now: 10, wallNow: 1_000)
        XCTAssertEqual(done.count, 1)
        XCTAssertEqual(done.first?.callID, "1700.12", "the caller's channel names the call")
        XCTAssertEqual(done.first?.legs.map(\.id).sorted(), [1, 2, 3, 4])
    }

    func testALocalNameReusedAfterARestartNamesAnotherCall() {
        var assembler = CallAssembler(timing: timing)
        // 10:00: a queue call; Asterisk restarts; 10:06: the channel counter starts at 0 again.
        assembler.add(pending(1, localLeg(unique: "1700.2", channel: "PJSIP/trunk-00000000",
                                          destination: "Local/104@from-queue-00000000;1", start: 36_000)), now: 0)
        assembler.add(pending(2, localLeg(unique: "1700.3", channel: "Local/104@from-queue-00000000;2",
                                          destination: "PJSIP/104-00000001", start: 36_001)), now: 0)
        assembler.add(pending(3, localLeg(unique: "1800.3", channel: "Local/104@from-queue-00000000;2",
                                          destination: "PJSIP/104-00000001", start: 36_361)), now: 0)
        assembler.add(pending(4, localLeg(unique: "1800.2", channel: "PJSIP/trunk-00000000",
                                          destination: "Local/104@from-queue-00000000;1", start: 36_360)), now: 0)
        let done = assembler.takeAll()
        XCTAssertEqual(done.map { $0.legs.map(\.id).sorted() }, [[1, 2], [3, 4]])
        XCTAssertEqual(done.map(\.callID), ["1700.2", "1800.2"])
    }

    func testAnIncompleteCallIsHandedOutAfterMaxHold() {
        var assembler = CallAssembler(timing: timing)
        let half = localLeg(unique: "1700.14", linked: "1700.12", channel: "Local/104@from-queue-00000000;2",
                            destination: "PJSIP/104-00000007", start: 1_000)
        assembler.add(pending(1, half, received: 50_000), now: 0)
        XCTAssertTrue(assembler.takeComplete(now: 1_000, wallNow: 50_000 + 239 * 60).isEmpty)
        let expired = assembler.takeComplete(now: 2_000, wallNow: 50_000 + 240 * 60)
        XCTAssertEqual(expired.map(\.incomplete), [true], "240 minutes after it arrived, on a quiet PBX")

        // Replayed data: max_hold counts in the data's own time as well.
        assembler.add(pending(2, half, received: 50_000), now: 3_000)
        assembler.add(pending(3, leg(linked: "much-later", start: 1_000 + 240 * 60)), now: 3_010)
        XCTAssertEqual(assembler.takeComplete(now: 3_020, wallNow: 50_001).first { $0.callID == "1700.12" }?.incomplete, true)
    }

    func testHeldRowsCanJoinACallJudgedBefore() {
        var assembler = CallAssembler(timing: timing)
        assembler.add(pending(1, localLeg(unique: "1700.14", linked: "1700.12", channel: "Local/104@from-queue-00000000;2",
                                          destination: "PJSIP/104-00000007", start: 102)), now: 0)
        let unchecked = assembler.uncheckedHeldCalls()
        XCTAssertEqual(unchecked.map(\.key), ["1700.12"])
        XCTAssertTrue(assembler.uncheckedHeldCalls().isEmpty, "each held call is checked once")
        assembler.join("1700.12", toRecordedCall: "1700.12")
        XCTAssertEqual(assembler.takeComplete(now: 500, wallNow: 1_000).map(\.callID), ["1700.12"])
    }
}
