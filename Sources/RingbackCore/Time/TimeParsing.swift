/// Parses the timestamps people and PBXs write: `2026-03-10 09:15:00`, `2026-03-10T09:15`,
/// `2026-03-10T09:15:00+03:00`, `2026-03-10T06:15:00Z`, or a bare date.
public enum TimeParsing {
    /// An instant, or nil when the text is not a timestamp. A time without an offset is read
    /// in `zone`; a bare date is that day's midnight.
    public static func instant(_ text: String, zone: ZoneConverter) -> Int64? {
        let bytes = Array(text.trimmingSpaces.utf8)
        guard bytes.count >= 10, let date = parseDate(bytes, 0) else { return nil }
        var civil = CivilTime(year: date.0, month: date.1, day: date.2)
        var index = 10
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "T") else { return nil }
            index += 1
            guard let hour = number(bytes, index, 2), index + 2 < bytes.count, bytes[index + 2] == UInt8(ascii: ":"),
                  let minute = number(bytes, index + 3, 2) else { return nil }
            civil.hour = hour
            civil.minute = minute
            index += 5
            if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
                guard let second = number(bytes, index + 1, 2) else { return nil }
                civil.second = second
                index += 3
                // Fractions of a second are accepted and dropped.
                if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                    index += 1
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
                }
            }
        }
        guard civil.isValid else { return nil }
        if index == bytes.count { return zone.instant(of: civil) }
        let rest = bytes[index...]
        if rest.count == 1, rest.first == UInt8(ascii: "Z") { return civil.secondsAsIfUTC }
        guard let sign = rest.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = rest.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 4 || digits.count == 2, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let values = digits.map { Int($0 - 48) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        let offset = Int64(hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        return civil.secondsAsIfUTC - offset
    }

    /// `YYYY-MM-DD HH:MM:SS` exactly, as cdr_csv and cdr_manager write it.
    @inline(__always)
    public static func pbxTimestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilTime? {
        guard bytes.count == 19,
              bytes[4] == 45, bytes[7] == 45, bytes[10] == 32 || bytes[10] == 84, bytes[13] == 58, bytes[16] == 58
        else { return nil }
        @inline(__always) func digits(_ at: Int, _ count: Int) -> Int? {
            var value = 0
            for i in at..<(at + count) {
                let b = bytes[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
              let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2) else { return nil }
        let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return civil.isValid ? civil : nil
    }

    private static func parseDate(_ bytes: [UInt8], _ at: Int) -> (Int, Int, Int)? {
        guard let year = number(bytes, at, 4), bytes[at + 4] == 45, let month = number(bytes, at + 5, 2),
              bytes[at + 7] == 45, let day = number(bytes, at + 8, 2) else { return nil }
        return (year, month, day)
    }

    private static func number(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for b in bytes[at..<(at + count)] {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
