/// Checks what the TOML parser underneath (toml++, through TOMLKit) does not survive: it
/// asserts, and so aborts the process, on a non-ASCII character outside strings and
/// comments (found by fuzzing: `[\u{FFFD}umbers]`). TOML allows such characters only inside
/// strings and comments anyway, so refusing them first costs nothing and turns an abort into
/// an error with a line number.
enum TOMLPrecheck {
    static func firstProblem(in text: String) -> (line: Int, reason: String)? {
        var line = 1
        var bytes = Array(text.utf8)[...]
        enum State { case code, comment, basic, literal, multiBasic, multiLiteral }
        var state = State.code
        func next(_ prefix: String) -> Bool { bytes.starts(with: prefix.utf8) }
        while let byte = bytes.first {
            if byte == 10 {
                line += 1
                if state == .comment || state == .basic || state == .literal { state = .code }
                bytes = bytes.dropFirst()
                continue
            }
            switch state {
            case .code:
                if byte >= 0x80 {
                    return (line, "a character outside a quoted string or a comment that TOML does not allow here "
                                  + "(keys and section names are ASCII; quote them, e.g. [\"name\"])")
                }
                if byte == 0 { return (line, "a NUL byte: not a text file") }
                if byte == UInt8(ascii: "#") { state = .comment }
                else if next("\"\"\"") { state = .multiBasic; bytes = bytes.dropFirst(2) }
                else if next("'''") { state = .multiLiteral; bytes = bytes.dropFirst(2) }
                else if byte == UInt8(ascii: "\"") { state = .basic }
                else if byte == UInt8(ascii: "'") { state = .literal }
            case .comment: break
            case .basic:
                if byte == UInt8(ascii: "\\") { bytes = bytes.dropFirst() }
                else if byte == UInt8(ascii: "\"") { state = .code }
            case .literal:
                if byte == UInt8(ascii: "'") { state = .code }
            case .multiBasic:
                if byte == UInt8(ascii: "\\") { bytes = bytes.dropFirst() }
                else if next("\"\"\"") { state = .code; bytes = bytes.dropFirst(2) }
            case .multiLiteral:
                if next("'''") { state = .code; bytes = bytes.dropFirst(2) }
            }
            bytes = bytes.dropFirst()
        }
        return nil
    }
}
