/// Checks what the TOML parser underneath (toml++, through TOMLKit) does not survive: it
/// asserts, and so aborts the process, where a key should start but something else stands
/// (found by fuzzing: `[{ource.mapping]`, `[\u{FFFD}umbers]`). This scan knows just enough
/// TOML to find every place a key starts (a line, a table header, after a dot, inside an
/// inline table) and refuses anything there but a bare-key character or a quote, with the
/// line number. The real parser then parses what passed.
enum TOMLPrecheck {
    static func firstProblem(in text: String) -> (line: Int, reason: String)? {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.run()
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        var line = 1

        init(bytes: [UInt8]) { self.bytes = bytes }

        static func isBare(_ b: UInt8) -> Bool {
            (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95 || b == 45
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        func starts(_ text: String) -> Bool { bytes[index...].starts(with: text.utf8) }

        mutating func skipSpaces() { while let b = current, b == 32 || b == 9 { index += 1 } }

        mutating func advance() {
            if current == 10 { line += 1 }
            index += 1
        }

        func problem(_ reason: String) -> (line: Int, reason: String) { (line, reason) }

        /// Expects a key (bare or quoted, possibly dotted) at the current position.
        mutating func key() -> (line: Int, reason: String)? {
            while true {
                skipSpaces()
                guard let b = current else { return problem("a key is missing at the end of the file") }
                if b == 34 || b == 39 {
                    if let issue = quoted() { return issue }
                } else if Self.isBare(b) {
                    while let c = current, Self.isBare(c) { index += 1 }
                } else {
                    return problem(Self.badKeyReason(b))
                }
                skipSpaces()
                guard current == 46 else { return nil }  // a dot: another part follows
                index += 1
            }
        }

        static func badKeyReason(_ byte: UInt8) -> String {
            let shown = byte >= 32 && byte < 127 ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte 0x\(String(byte, radix: 16))"
            return "a key or section name cannot start with \(shown): use letters, digits, _ and -, or quote it"
        }

        /// A quoted string (basic or literal, single- or multi-line) from its opening quote.
        mutating func quoted() -> (line: Int, reason: String)? {
            let quote = bytes[index]
            let triple = String(repeating: Character(Unicode.Scalar(quote)), count: 3)
            if starts(triple) {
                index += 3
                while current != nil {
                    if quote == 34, current == 92 { index += 2; continue }
                    if starts(triple) { index += 3; return nil }
                    advance()
                }
                return problem("a string opened with \(triple) never closes")
            }
            index += 1
            while let b = current, b != 10 {
                if quote == 34, b == 92 { index += 2; continue }
                index += 1
                if b == quote { return nil }
            }
            return problem("a string does not close on its line")
        }

        /// A value after `=`: strings, arrays and inline tables are walked, other tokens skipped.
        mutating func value() -> (line: Int, reason: String)? {
            skipSpaces()
            guard let b = current else { return nil }
            if b == 34 || b == 39 { return quoted() }
            if b == 91 {  // array
                index += 1
                while true {
                    skipSpacesCommentsAndNewlines()
                    guard let c = current else { return problem("an array never closes") }
                    if c == 93 { index += 1; return nil }
                    if c == 44 { index += 1; continue }
                    if let issue = value() { return issue }
                }
            }
            if b == 123 {  // inline table
                index += 1
                while true {
                    skipSpaces()
                    guard let c = current, c != 10 else { return problem("an inline table does not close on its line") }
                    if c == 125 { index += 1; return nil }
                    if c == 44 { index += 1; continue }
                    if let issue = key() { return issue }
                    skipSpaces()
                    guard current == 61 else { return problem("a key inside { } needs = and a value") }
                    index += 1
                    if let issue = value() { return issue }
                }
            }
            let start = index
            while let c = current, c != 10, c != 44, c != 93, c != 125, c != 35 {
                if c >= 0x80 { return problem("a value outside quotes cannot hold non-ASCII characters") }
                index += 1
            }
            // Every value takes at least one character: this is what keeps the scan moving.
            return index > start ? nil : problem("a value is missing")
        }

        mutating func skipSpacesCommentsAndNewlines() {
            while let b = current {
                if b == 32 || b == 9 || b == 13 || b == 10 { advance() }
                else if b == 35 { while let c = current, c != 10 { index += 1 } }
                else { return }
            }
        }

        mutating func run() -> (line: Int, reason: String)? {
            while true {
                skipSpacesCommentsAndNewlines()
                guard let b = current else { return nil }
                if b == 0 { return problem("a NUL byte: not a text file") }
                if b == 91 {  // [table] or [[array of tables]]
                    index += starts("[[") ? 2 : 1
                    if let issue = key() { return issue }
                    guard current == 93 else { return problem("a section header must end with ]") }
                    index += starts("]]") ? 2 : 1
                } else {
                    if let issue = key() { return issue }
                    guard current == 61 else { return problem("a key needs = and a value") }
                    index += 1
                    if let issue = value() { return issue }
                }
                skipSpaces()
                if current == 35 { while let c = current, c != 10 { index += 1 } }
                if let c = current, c != 10, c != 13 {
                    return problem("unexpected text after a key, value or section header")
                }
            }
        }
    }
}
