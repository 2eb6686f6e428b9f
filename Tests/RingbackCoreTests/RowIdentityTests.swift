import Foundation
import RingbackCore
import XCTest

/// A re-read file's stored rows are told from their bytes alone (`identity(of:)`); that is
/// only right if the identity is exactly what decoding the row gives, on every kind of row.
final class RowIdentityTests: XCTestCase {
    /// Every record of every fixture, and hostile variants of each: where `identity` answers,
    /// it is the decoded leg's start, end and digest; where decoding gives no leg, it is nil.
    func testIdentityIsWhatDecodingGivesOrNothing() throws {
        let folder = FixturePaths.fixtures.appendingPathComponent("calls")
        var lines: [[UInt8]] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".csv") {
            let bytes = try FixturePaths.bytes(folder.appendingPathComponent(name))
            lines += bytes.split(separator: 10).map { Array($0.last == 13 ? $0.dropLast() : $0) }
        }
        XCTAssertGreaterThan(lines.count, 50)
        var variants = lines
        for line in lines {
            guard let text = String(validating: line, as: UTF8.self) else { continue }
            variants.append(Array(text.replacingOccurrences(of: "PJSIP/", with: "PJSIP/é").utf8))  // not ASCII: decoding decides
            variants.append(Array(text.replacingOccurrences(of: "\"ANSWERED\"", with: "\"MAYBE\"").utf8))  // refused
            variants.append(Array(text.replacingOccurrences(of: ",\"\",", with: ",\"a\"\"b\",").utf8))  // quotes to undo
            variants.append([0xEF, 0xBB, 0xBF] + line)  // a byte-order mark
            variants.append(line.dropLast() + Array("x".utf8))  // a broken last column
        }
        variants.append(Array("accountcode,src,dst,dcontext,clid,channel,dstchannel,lastapp,lastdata,start,answer,end,duration,billsec,disposition,amaflags".utf8))
        var answered = 0
        for zone in [ZoneConverter.utc, ZoneConverter(identifier: "Europe/Moscow")!] {
            for columns in [nil, [AsteriskOptionalColumn.uniqueid, .userfield, .peeraccount, .linkedid, .sequence]] {
                var decoder = AsteriskDecoder(columns: columns, zone: zone)
                for line in variants {
                    let (identity, decoded) = line.withUnsafeBufferPointer { (decoder.identity(of: $0), decoder.decode($0)) }
                    guard case .success(let leg?) = decoded else {
                        XCTAssertNil(identity, "no leg, yet an identity: \(String(decoding: line, as: UTF8.self))")
                        continue
                    }
                    guard let identity else { continue }
                    answered += 1
                    XCTAssertEqual(identity, RowIdentity(start: leg.start, end: leg.end, digest: leg.digest),
                                   String(decoding: line, as: UTF8.self))
                }
            }
        }
        XCTAssertGreaterThan(answered, lines.count, "most plain rows are told from their bytes")
    }

    /// Rows across a change of summer time, in the order a PBX writes them: the offset the
    /// decoder remembers from the previous row never answers for another hour.
    func testTimesAcrossSummerTimeAreTheZonesOwn() {
        let zone = ZoneConverter(identifier: "Europe/Berlin")!
        var decoder = AsteriskDecoder(zone: zone)
        // 2026-03-29 02:00 local does not exist (clocks go 02:00 → 03:00); 2026-10-25 02:xx happens twice.
        for (day, hours) in [("2026-03-29", [0, 1, 1, 3, 3, 4]), ("2026-10-25", [0, 1, 2, 2, 3, 4])] {
            for hour in hours {
                let time = String(format: "%@ %02d:30:00", day, hour)
                let line = "\"\",\"101\",\"102\",\"from-internal\",\"\",\"PJSIP/101-1\",\"PJSIP/102-2\",\"Dial\",\"\",\"\(time)\",\"\",\"\(time)\",0,0,\"NO ANSWER\",\"DOCUMENTATION\""
                let leg = Array(line.utf8).withUnsafeBufferPointer { (try? decoder.decode($0).get()) ?? nil }
                let civil = Array(time.utf8).withUnsafeBufferPointer { TimeParsing.pbxTimestamp($0)! }
                XCTAssertEqual(leg?.start, zone.instant(of: civil), time)
            }
        }
    }
}
