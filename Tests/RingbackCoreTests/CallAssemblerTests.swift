import RingbackCore
import XCTest

final class CallAssemblerTests: XCTestCase {
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

    func testKeyedCallIsCompleteOnceAnotherCallFollows() {
        var assembler = CallAssembler(settleMilliseconds: 100, mergeWindowSeconds: 5)
        assembler.add(PendingLeg(id: 1, leg: leg(linked: "a", start: 100)), now: 0)
        assembler.add(PendingLeg(id: 2, leg: leg(linked: "a", start: 101)), now: 0)
        XCTAssertTrue(assembler.takeComplete(now: 10).isEmpty, "the call ending the data read so far is held")
        assembler.add(PendingLeg(id: 3, leg: leg(linked: "b", start: 50)), now: 20)
        let done = assembler.takeComplete(now: 30)
        XCTAssertEqual(done.map(\.callID), ["a"])
        XCTAssertEqual(done[0].legs.map(\.id), [1, 2])
        XCTAssertEqual(assembler.takeComplete(now: 130).map(\.callID), ["b"], "held for settle_ms, then complete")
    }

    func testKeylessRowsMergeWithinTheWindow() {
        var assembler = CallAssembler(settleMilliseconds: 100, mergeWindowSeconds: 5)
        assembler.add(PendingLeg(id: 1, leg: leg(linked: nil, start: 100)), now: 0)
        assembler.add(PendingLeg(id: 2, leg: leg(linked: nil, start: 103)), now: 0)
        assembler.add(PendingLeg(id: 3, leg: leg(linked: nil, start: 200)), now: 0)
        let all = assembler.takeAll()
        XCTAssertEqual(all.map { $0.legs.map(\.id) }, [[1, 2], [3]])
    }

    func testCallsComeOutInStartOrder() {
        var assembler = CallAssembler(settleMilliseconds: 100, mergeWindowSeconds: 5)
        assembler.add(PendingLeg(id: 1, leg: leg(linked: "late", start: 500)), now: 0)
        assembler.add(PendingLeg(id: 2, leg: leg(linked: "early", start: 100)), now: 0)
        XCTAssertEqual(assembler.takeAll().map(\.callID), ["early", "late"])
        XCTAssertNil(assembler.earliestHeldStart)
    }

    private func localLeg(unique: String, channel: String, destination: String, start: Int64) -> CallLeg {
        var leg = CallLeg()
        leg.uniqueID = unique
        leg.channel = channel
        leg.destinationChannel = destination
        leg.start = start
        leg.end = start + 20
        return leg
    }

    func testLocalHalvesJoinWithoutLinkedIDInEitherOrder() {
        var assembler = CallAssembler(settleMilliseconds: 100, mergeWindowSeconds: 5)
        // The agent half is written before the caller's leg, as Asterisk does.
        assembler.add(PendingLeg(id: 1, leg: localLeg(unique: "1700.14", channel: "Local/101@from-queue-00000000;2",
                                                      destination: "PJSIP/101-00000007", start: 102)), now: 0)
        assembler.add(PendingLeg(id: 2, leg: localLeg(unique: "1700.12", channel: "PJSIP/trunk-00000006",
                                                      destination: "Local/101@from-queue-00000000;1", start: 100)), now: 0)
        assembler.add(PendingLeg(id: 3, leg: localLeg(unique: "1700.12", channel: "PJSIP/trunk-00000006",
                                                      destination: "Local/102@from-queue-00000001;1", start: 100)), now: 0)
        assembler.add(PendingLeg(id: 4, leg: localLeg(unique: "1700.16", channel: "Local/102@from-queue-00000001;2",
                                                      destination: "PJSIP/102-00000008", start: 102)), now: 0)
        assembler.add(PendingLeg(id: 5, leg: leg(linked: "next", start: 300)), now: 0)
        let done = assembler.takeComplete(now: 10)
        XCTAssertEqual(done.count, 1)
        XCTAssertEqual(done.first?.callID, "1700.12", "the caller's channel names the call")
        XCTAssertEqual(done.first?.legs.map(\.id).sorted(), [1, 2, 3, 4])
    }

    func testUnpairedLocalHalfWaitsForTheMergeWindow() {
        var assembler = CallAssembler(settleMilliseconds: 100, mergeWindowSeconds: 5)
        assembler.add(PendingLeg(id: 1, leg: localLeg(unique: "1700.12", channel: "PJSIP/trunk-00000006",
                                                      destination: "Local/101@from-queue-00000000;1", start: 100)), now: 0)
        assembler.add(PendingLeg(id: 2, leg: leg(linked: "other", start: 101)), now: 0)
        XCTAssertTrue(assembler.takeComplete(now: 1000).filter { $0.callID == "1700.12" }.isEmpty,
                      "its agent half may still come")
        assembler.add(PendingLeg(id: 3, leg: localLeg(unique: "1700.14", channel: "Local/101@from-queue-00000000;2",
                                                      destination: "PJSIP/101-00000007", start: 102)), now: 1500)
        assembler.add(PendingLeg(id: 4, leg: leg(linked: "later", start: 103)), now: 1600)
        XCTAssertEqual(assembler.takeComplete(now: 1700).first { $0.callID == "1700.12" }?.legs.count, 2)
        assembler.add(PendingLeg(id: 5, leg: localLeg(unique: "1800.1", channel: "PJSIP/trunk-00000009",
                                                      destination: "Local/105@from-queue-00000003;1", start: 200)), now: 2000)
        XCTAssertEqual(assembler.takeComplete(now: 2000 + 5000).map(\.callID).contains("1800.1"), true,
                       "never paired: complete after the merge window")
    }
}
