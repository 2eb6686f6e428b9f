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
}
