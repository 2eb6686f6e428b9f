/// How a `mapped` source writes its times: a strftime-style pattern (`%Y-%m-%d %H:%M:%S`,
/// `%d.%m.%Y %H:%M`, `%m/%d/%Y %I:%M:%S %p`), or epoch seconds (`unix`).
///
/// Numeric fields accept one or two digits, because spreadsheets and web exports drop
/// leading zeros (`2020/2/10 9:05`). A pattern without `%S` reads minutes only: the second
/// is 0, which the README warns about.
public struct TimestampFormat: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case year, month, day, hour24, hour12, minute, second, amPm
        case literal(UInt8)
    }

    let pieces: [Piece]
    let isUnix: Bool
    public let text: String

    public static let pbx = TimestampFormat(validated: "%Y-%m-%d %H:%M:%S")

    /// nil, with the reason, when the pattern is not one this reader understands.
    public static func parse(_ text: String) -> Result<TimestampFormat, DecodeFailure> {
        if text == "unix" { return .success(TimestampFormat(pieces: [], isUnix: true, text: text)) }
        var pieces: [Piece] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else { pieces.append(.literal(byte)); continue }
            guard let code = bytes.popFirst() else { return .failure(DecodeFailure("a lone % at the end")) }
            switch code {
            case UInt8(ascii: "Y"): pieces.append(.year)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "H"): pieces.append(.hour24)
            case UInt8(ascii: "I"): pieces.append(.hour12)
            case UInt8(ascii: "M"): pieces.append(.minute)
            case UInt8(ascii: "S"): pieces.append(.second)
            case UInt8(ascii: "p"): pieces.append(.amPm)
            case UInt8(ascii: "%"): pieces.append(.literal(code))
            default:
                return .failure(DecodeFailure("%\(Character(Unicode.Scalar(code))) is not supported; use %Y %m %d %H %I %M %S %p"))
            }
        }
        for required in [Piece.year, .month, .day, .minute] where !pieces.contains(required) {
            return .failure(DecodeFailure("\"\(text)\" lacks one of %Y, %m, %d, %M"))
        }
        guard pieces.contains(.hour24) != pieces.contains(.hour12) else {
            return .failure(DecodeFailure("\"\(text)\" needs exactly one of %H or %I"))
        }
        guard pieces.contains(.hour12) == pieces.contains(.amPm) else {
            return .failure(DecodeFailure("\"\(text)\": %I goes with %p"))
        }
        return .success(TimestampFormat(pieces: pieces, isUnix: false, text: text))
    }

    private init(pieces: [Piece], isUnix: Bool, text: String) {
        self.pieces = pieces
        self.isUnix = isUnix
        self.text = text
    }

    private init(validated text: String) {
        guard case .success(let format) = Self.parse(text) else { preconditionFailure("built-in format \(text)") }
        self = format
    }

    /// The instant the bytes name, reading wall times in `zone`; nil when they do not match.
    public func instant(_ bytes: UnsafeBufferPointer<UInt8>, zone: ZoneConverter) -> Int64? {
        if isUnix {
            guard !bytes.isEmpty, bytes.count <= 12 else { return nil }
            var value: Int64 = 0
            for b in bytes {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            return value
        }
        var civil = CivilTime(year: 0, month: 0, day: 0)
        var pm: Bool?
        var index = 0
        func number(maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while digits < maxDigits, index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                value = value * 10 + Int(bytes[index] - 48)
                index += 1
                digits += 1
            }
            return digits == 0 ? nil : value
        }
        for piece in pieces {
            switch piece {
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            case .year:
                guard let year = number(maxDigits: 4), year >= 1000 else { return nil }
                civil.year = year
            case .month: guard let v = number(maxDigits: 2) else { return nil }; civil.month = v
            case .day: guard let v = number(maxDigits: 2) else { return nil }; civil.day = v
            case .hour24: guard let v = number(maxDigits: 2) else { return nil }; civil.hour = v
            case .hour12:
                guard let v = number(maxDigits: 2), (1...12).contains(v) else { return nil }
                civil.hour = v % 12
            case .minute: guard let v = number(maxDigits: 2) else { return nil }; civil.minute = v
            case .second: guard let v = number(maxDigits: 2) else { return nil }; civil.second = v
            case .amPm:
                guard index + 1 < bytes.count else { return nil }
                let first = bytes[index] | 0x20
                guard bytes[index + 1] | 0x20 == UInt8(ascii: "m"), first == UInt8(ascii: "a") || first == UInt8(ascii: "p")
                else { return nil }
                pm = first == UInt8(ascii: "p")
                index += 2
            }
        }
        guard index == bytes.count else { return nil }
        if pm == true { civil.hour += 12 }
        guard civil.isValid else { return nil }
        return zone.instant(of: civil)
    }
}
