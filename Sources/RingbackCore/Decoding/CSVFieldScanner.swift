/// The byte range of one CSV field inside a record, and whether it was quoted.
public struct FieldSpan: Sendable {
    public var start: Int
    public var end: Int
    public var quoted: Bool
    /// A quoted field that contains doubled quotes needs unescaping.
    public var hasEscapes: Bool
    public var isEmpty: Bool { start == end }
}

/// Splits one CSV record (no line terminator) into field spans without copying.
///
/// Quoting follows RFC 4180 as `cdr_csv` writes it: a field is quoted as a whole, a quote
/// inside is doubled. Anything else (a quote in the middle of an unquoted field, text after a
/// closing quote) is an error rather than a guess.
public enum CSVFieldScanner {
    public enum Failure: Error, Equatable {
        case unterminatedQuote(column: Int)
        case textAfterClosingQuote(column: Int)
        case quoteInsideUnquotedField(column: Int)
    }

    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>, separator: UInt8 = 44,
                            into fields: inout [FieldSpan]) -> Failure? {
        fields.removeAll(keepingCapacity: true)
        let quote: UInt8 = 34
        let count = bytes.count
        var index = 0
        while true {
            if index < count, bytes[index] == quote {
                let start = index + 1
                var cursor = start
                var escapes = false
                var closed = false
                while cursor < count {
                    if bytes[cursor] == quote {
                        if cursor + 1 < count, bytes[cursor + 1] == quote {
                            escapes = true
                            cursor += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    cursor += 1
                }
                guard closed else { return .unterminatedQuote(column: fields.count + 1) }
                fields.append(FieldSpan(start: start, end: cursor, quoted: true, hasEscapes: escapes))
                index = cursor + 1
                if index == count { return nil }
                guard bytes[index] == separator else { return .textAfterClosingQuote(column: fields.count) }
                index += 1
            } else {
                let start = index
                while index < count, bytes[index] != separator {
                    if bytes[index] == quote { return .quoteInsideUnquotedField(column: fields.count + 1) }
                    index += 1
                }
                fields.append(FieldSpan(start: start, end: index, quoted: false, hasEscapes: false))
                if index == count { return nil }
                index += 1
            }
        }
    }

    /// The field's text, quotes undone; invalid UTF-8 is replaced, never fatal.
    @inline(__always)
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ field: FieldSpan) -> String {
        if field.isEmpty { return "" }
        let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.hasEscapes else { return TextDecoding.utf8OrCP1251(slice) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            unescaped.append(slice[i])
            i += (slice[i] == 34 && i + 1 < slice.count && slice[i + 1] == 34) ? 2 : 1
        }
        return unescaped.withUnsafeBufferPointer { TextDecoding.utf8OrCP1251($0) }
    }
}

/// Text of a CDR field. PBXs in Russian-speaking offices often carry caller names from
/// phones set to Windows-1251; such a field is not valid UTF-8. Decoding it as CP1251 keeps
/// every byte (the mapping is one to one) and usually gives the name itself, where
/// replacement characters would lose it.
public enum TextDecoding {
    @inline(__always)
    public static func utf8OrCP1251(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Almost every field is ASCII: `String(decoding:)` takes it without the generic
        // validation path of `String(validating:)`, which showed in the ingest profile.
        if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value: UInt32 = byte < 0x80 ? UInt32(byte) : byte >= 0xC0 ? 0x0410 + UInt32(byte - 0xC0) : cp1251High[Int(byte - 0x80)]
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Windows-1251 bytes 0x80–0xBF (0x98 is unassigned).
    private static let cp1251High: [UInt32] = [
        0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021, 0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
        0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
        0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7, 0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
        0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7, 0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    ]
}
