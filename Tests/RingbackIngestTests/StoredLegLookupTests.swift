import Foundation
import RingbackCore
@testable import RingbackStore
import XCTest

/// The decoding thread's question "which of these rows are stored?", answered from the span
/// of their starts or, when that span holds too many other rows, row by row.
final class StoredLegLookupTests: XCTestCase {
    private var path: String!

    override func setUpWithError() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-lookup-\(UUID().uuidString).db").path
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private func identity(_ start: Int64) -> RowIdentity {
        var leg = CallLeg()
        leg.start = start
        leg.end = start + 10
        leg.channel = "PJSIP/101-\(start)"
        return RowIdentity(start: start, end: leg.end, digest: leg.digest)
    }

    func testStoredRowsAreToldFromNewOnesInANarrowSpanAndAWideOne() throws {
        let store = try Store(path: path)
        try store.transaction {
            for start in Int64(1000)..<1100 {
                var leg = CallLeg()
                leg.start = start
                leg.end = start + 10
                leg.channel = "PJSIP/101-\(start)"
                try store.insertLeg(leg, id: start, digest: leg.digest, callID: "c\(start)", source: "pbx", file: "Master.csv",
                                    line: Int(start), receivedAt: 0)
            }
        }
        let lookup = try store.storedLegLookup()
        // Narrow: the starts 1050…1052 hold three stored rows; a row of another identity at 1051 is new.
        var other = identity(1051)
        other.digest = LegDigest(high: 1, low: 2)
        XCTAssertEqual(lookup.areStored([identity(1050), other, identity(1052)]), [true, false, true])
        // Wide: 1000…1099 and a new row; 100 stored rows in the span, far more than the two asked about.
        XCTAssertEqual(lookup.areStored([identity(1000), identity(1099), identity(1100)]), [true, true, false])
        XCTAssertEqual(lookup.areStored([]), [])
        // A row committed after the lookup was opened is seen by its next question.
        try store.transaction {
            var leg = CallLeg()
            leg.start = 1100
            leg.end = 1110
            leg.channel = "PJSIP/101-1100"
            try store.insertLeg(leg, id: 1100, digest: leg.digest, callID: "c1100", source: "pbx", file: "Master.csv",
                                line: 1100, receivedAt: 0)
        }
        XCTAssertEqual(lookup.areStored([identity(1100)]), [true])
    }
}
