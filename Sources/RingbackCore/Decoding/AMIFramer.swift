/// Splits AMI text (a live session, a saved capture, blocks pushed to the socket) into
/// messages: `Key: Value` lines ended by an empty line, CRLF or LF. The banner
/// (`Asterisk Call Manager/5.0.1`) has no empty line after it, so a first line without a
/// colon is a message of its own.
public enum AMIFramer {
    /// Calls `body` with each complete message (its lines, without the empty line that ends
    /// it); returns the bytes and lines consumed. With `final`, a last message without its
    /// empty line counts too (a capture read to its end).
    @discardableResult
    public static func forEachMessage(in buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, final: Bool,
                                      _ body: (RecordSlice) throws -> Void) rethrows -> (consumed: Int, lines: Int) {
        guard let base = buffer.baseAddress else { return (0, 0) }
        func slice(_ from: Int, _ to: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + from, count: to - from) }
        var consumed = 0, consumedLines = 0
        var messageStart: Int?, messageLine = firstLine, messageEnd = 0
        var line = firstLine, position = 0
        while position < buffer.count, let newline = buffer[position...].firstIndex(of: 10) {
            let end = newline > position && buffer[newline - 1] == 13 ? newline - 1 : newline
            if end == position || (messageStart == nil && !buffer[position..<end].contains(58)) {
                // The empty line ends a message; a banner is one by itself.
                if end > position {
                    try body(RecordSlice(bytes: slice(position, end), line: line, endOffset: newline + 1))
                } else if let from = messageStart {
                    try body(RecordSlice(bytes: slice(from, messageEnd), line: messageLine, endOffset: newline + 1))
                }
                messageStart = nil
                consumed = newline + 1
                consumedLines = line - firstLine + 1
            } else {
                if messageStart == nil { (messageStart, messageLine) = (position, line) }
                messageEnd = end
            }
            position = newline + 1
            line += 1
        }
        guard final else { return (consumed, consumedLines) }
        if position < buffer.count {
            if messageStart == nil { (messageStart, messageLine) = (position, line) }
            var end = buffer.count
            while end > position, buffer[end - 1] == 13 { end -= 1 }
            messageEnd = end
            line += 1
        }
        if let from = messageStart, messageEnd > from {
            try body(RecordSlice(bytes: slice(from, messageEnd), line: messageLine, endOffset: buffer.count))
        }
        return (buffer.count, line - firstLine)
    }
}

/// One AMI message: its `Key: Value` lines in order, keys compared without case.
public struct AMIMessage: Sendable, Equatable {
    public var fields: [(key: String, value: String)]

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        fields = []
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
            if let colon = bytes[start..<lineEnd].firstIndex(of: 58) {
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self)
                var valueStart = colon + 1
                if valueStart < lineEnd, bytes[valueStart] == 32 { valueStart += 1 }
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<lineEnd]), as: UTF8.self)
                fields.append((key, value))
            }
            start = end + 1
        }
    }

    public init(fields: [(key: String, value: String)]) { self.fields = fields }

    public subscript(key: String) -> String? {
        let wanted = key.lowercased()
        return fields.first { $0.key.lowercased() == wanted }?.value
    }

    public static func == (lhs: AMIMessage, rhs: AMIMessage) -> Bool {
        lhs.fields.map(\.key) == rhs.fields.map(\.key) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// The wire form of an action: `Key: Value` lines with CRLF and the empty line.
    public static func action(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n"
    }
}
