import Foundation

/// Converts between wall-clock times of one IANA zone and instants (seconds since the epoch).
///
/// Offsets are cached per wall-clock hour: zone transitions fall on hour boundaries in every
/// zone a PBX is likely to run in, and the cache keeps `TimeZone` off the decoder hot path.
public final class ZoneConverter: @unchecked Sendable, Equatable {
    public let identifier: String
    private let zone: TimeZone
    private let isUTC: Bool
    private let lock = NSLock()
    private var offsetByLocalHour: [Int64: Int64] = [:]

    public init?(identifier: String) {
        let upper = identifier.uppercased()
        if upper == "UTC" || upper == "GMT" || upper == "ETC/UTC" || upper == "Z" {
            self.identifier = "UTC"
            self.zone = TimeZone(identifier: "UTC")!
            self.isUTC = true
            return
        }
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
        self.isUTC = false
    }

    public static let utc = ZoneConverter(identifier: "UTC")!

    public static func == (left: ZoneConverter, right: ZoneConverter) -> Bool { left.identifier == right.identifier }

    /// The instant of a wall-clock time in this zone. In a DST gap the later offset wins; in
    /// an overlap, the first occurrence (what a PBX writing local time most often means).
    public func instant(of civil: CivilTime) -> Int64 {
        let local = civil.secondsAsIfUTC
        if isUTC { return local }
        let hourKey = local >= 0 ? local / 3600 : (local - 3599) / 3600
        lock.lock()
        if let offset = offsetByLocalHour[hourKey] {
            lock.unlock()
            return local - offset
        }
        lock.unlock()
        let first = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local))))
        var offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - first))))
        if offset != first {
            let again = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - offset))))
            offset = max(offset, again)
        }
        lock.lock()
        if offsetByLocalHour.count > 100_000 { offsetByLocalHour.removeAll(keepingCapacity: true) }
        offsetByLocalHour[hourKey] = offset
        lock.unlock()
        return local - offset
    }

    /// Offset from UTC in seconds at an instant.
    public func offset(at instant: Int64) -> Int64 {
        isUTC ? 0 : Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
    }

    public func civil(of instant: Int64) -> CivilTime {
        CivilTime(secondsAsIfUTC: instant + offset(at: instant))
    }

    /// ISO 8601 with this zone's offset, to the second: `2026-03-10T09:15:00+03:00`.
    public func iso8601(_ instant: Int64) -> String {
        let offset = offset(at: instant)
        let c = CivilTime(secondsAsIfUTC: instant + offset)
        let minutes = Int(abs(offset) / 60)
        // Digits written straight into the string's storage: every listing's times go
        // through here (a thousand-callback API answer has four thousand of them).
        return String(unsafeUninitializedCapacity: 25) { bytes in
            var at = 0
            func digits(_ value: Int, _ width: Int) {
                var rest = value
                for place in stride(from: width - 1, through: 0, by: -1) {
                    bytes[at + place] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                at += width
            }
            func byte(_ character: Unicode.Scalar) {
                bytes[at] = UInt8(ascii: character)
                at += 1
            }
            digits(c.year, 4); byte("-"); digits(c.month, 2); byte("-"); digits(c.day, 2)
            byte("T"); digits(c.hour, 2); byte(":"); digits(c.minute, 2); byte(":"); digits(c.second, 2)
            byte(offset < 0 ? "-" : "+"); digits(minutes / 60, 2); byte(":"); digits(minutes % 60, 2)
            return at
        }
    }

    /// The instant a local calendar day starts and the instant the next one starts.
    public func dayBounds(containing instant: Int64) -> (start: Int64, end: Int64) {
        let c = civil(of: instant)
        let start = self.instant(of: CivilTime(year: c.year, month: c.month, day: c.day))
        let next = CivilTime(secondsAsIfUTC: CivilTime(year: c.year, month: c.month, day: c.day).secondsAsIfUTC + 86_400)
        return (start, self.instant(of: next))
    }
}
