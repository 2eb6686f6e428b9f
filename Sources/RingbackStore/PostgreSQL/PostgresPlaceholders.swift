/// The store's statements are written with SQLite's placeholders (`?` and `?NNN`); PostgreSQL
/// numbers its own (`$N`). The same numbering rule as SQLite's: a bare `?` is one more than
/// the largest number so far. Quoted strings, quoted names and comments are left as they are.
/// SQLite's index hints (`INDEXED BY name`) are dropped: PostgreSQL's planner takes none,
/// and they change no answer.
enum PostgresPlaceholders {
    private static func droppingIndexHints(_ sql: String) -> String {
        var text = Substring(sql)
        var output = ""
        while let hint = text.range(of: " INDEXED BY ") {
            output += text[..<hint.lowerBound]
            text = text[hint.upperBound...].drop { $0 == " " }.drop { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        return output + text
    }

    static func translate(_ sql: String) -> (text: String, parameters: Int) {
        var output = ""
        output.reserveCapacity(sql.utf8.count + 16)
        var largest = 0
        var bytes = Array(sql.utf8)[...]
        var pending: [UInt8] = []
        func flush() {
            output += String(decoding: pending, as: UTF8.self)
            pending.removeAll(keepingCapacity: true)
        }
        while let byte = bytes.popFirst() {
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                // Up to the closing quote; a doubled quote inside is part of the text.
                pending.append(byte)
                while let next = bytes.popFirst() {
                    pending.append(next)
                    if next == byte {
                        if bytes.first == byte { pending.append(bytes.removeFirst()) } else { break }
                    }
                }
            case UInt8(ascii: "-") where bytes.first == UInt8(ascii: "-"):
                pending.append(byte)
                while let next = bytes.popFirst() {
                    pending.append(next)
                    if next == UInt8(ascii: "\n") { break }
                }
            case UInt8(ascii: "?"):
                var digits = 0
                var number = 0
                while let next = bytes.first, next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
                    number = number * 10 + Int(next - UInt8(ascii: "0"))
                    digits += 1
                    bytes.removeFirst()
                }
                if digits == 0 { number = largest + 1 }
                largest = max(largest, number)
                flush()
                output += "$\(number)"
            default:
                pending.append(byte)
            }
        }
        flush()
        return (droppingIndexHints(output), largest)
    }
}
