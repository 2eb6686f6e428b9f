/// One record found in a byte buffer: its bytes (CR/LF stripped), its line number, and the
/// offset just past its terminator (the read position after it).
public struct RecordSlice {
    public var bytes: UnsafeBufferPointer<UInt8>
    public var line: Int
    public var endOffset: Int
}

/// Splits a buffer into LF-terminated records. An LF always ends a record, even inside
/// quotes: `cdr_csv` never writes one there, and treating it so keeps one broken quote from
/// swallowing the good rows after it.
public enum LineSplitter {
    /// The largest record accepted (SPEC §1.1); longer ones are rejected whole.
    public static let maximumRecordLength = 64 * 1024

    /// Calls `body` for each complete record; returns the offset after the last complete one.
    /// With `final`, bytes after the last LF form a record too (a file read to its end).
    @discardableResult
    public static func forEachRecord(in buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, final: Bool,
                                     _ body: (RecordSlice) throws -> Void) rethrows -> (consumed: Int, lines: Int) {
        var start = 0
        var line = firstLine
        let count = buffer.count
        guard let base = buffer.baseAddress else { return (0, 0) }
        while start < count {
            let remaining = count - start
            guard let hit = memchrLF(base + start, remaining) else {
                if final {
                    let slice = trimmed(UnsafeBufferPointer(start: base + start, count: remaining))
                    if !slice.isEmpty { try body(RecordSlice(bytes: slice, line: line, endOffset: count)) }
                    return (count, line - firstLine + 1)
                }
                break
            }
            let length = hit - (base + start)
            let slice = trimmed(UnsafeBufferPointer(start: base + start, count: length))
            if !slice.isEmpty { try body(RecordSlice(bytes: slice, line: line, endOffset: start + length + 1)) }
            start += length + 1
            line += 1
        }
        return (start, line - firstLine)
    }

    @inline(__always)
    private static func trimmed(_ slice: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var count = slice.count
        while count > 0, slice[count - 1] == 13 { count -= 1 }
        return UnsafeBufferPointer(start: slice.baseAddress, count: count)
    }

    @inline(__always)
    private static func memchrLF(_ pointer: UnsafePointer<UInt8>, _ count: Int) -> UnsafePointer<UInt8>? {
        guard let raw = memchrShim(pointer, 10, count) else { return nil }
        return raw.assumingMemoryBound(to: UInt8.self)
    }
}

#if canImport(Glibc)
import Glibc
@inline(__always) private func memchrShim(_ p: UnsafePointer<UInt8>, _ c: Int32, _ n: Int) -> UnsafeRawPointer? {
    UnsafeRawPointer(memchr(p, c, n))
}
#elseif canImport(Darwin)
import Darwin
@inline(__always) private func memchrShim(_ p: UnsafePointer<UInt8>, _ c: Int32, _ n: Int) -> UnsafeRawPointer? {
    UnsafeRawPointer(memchr(p, c, n))
}
#endif
