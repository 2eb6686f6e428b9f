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
        guard field.hasEscapes else { return String(decoding: slice, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            unescaped.append(slice[i])
            i += (slice[i] == 34 && i + 1 < slice.count && slice[i + 1] == 34) ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }
}
