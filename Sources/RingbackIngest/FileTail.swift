import Foundation
import RingbackCore

/// Reads one CDR file from a read position towards its end, a chunk of whole records at a
/// time: the one file reader of the daemon's spool and of `ringback ingest`.
///
/// A chunk holds only complete records. A record without a line feed within a whole chunk
/// (far over the 64 KiB limit) is rejected and skipped up to its line feed, so a file
/// without line feeds costs one chunk of memory, never more. A live file's half-written
/// last line stays unread until its line feed arrives; a `complete` file (a one-shot
/// ingest) ends its last record at the end of the file.
///
/// Used by one thread at a time (`FileIngestor` hands it to a helper thread to decode the
/// next chunk ahead), hence unchecked.
final class FileTail: @unchecked Sendable {
    let path: String
    private let source: SourceContext
    private let descriptor: Int32
    private let complete: Bool
    private let chunkSize: Int
    private var decoder: any CDRDecoder
    private var buffer: [UInt8]
    /// The read position after the last chunk handed out.
    private(set) var offset: Int64
    private(set) var line: Int
    /// The file's size when it was opened: what `status` counts as still to read.
    let size: Int64
    /// The last chunk filled the buffer, so it said more was to read (holding back the
    /// pipeline's alerts until it is): if nothing more comes, the next call says so.
    private var promisedMore = false
    /// Tells rows stored already, which are then counted instead of decoded (a one-shot
    /// ingest's read of a file it may have read before).
    var storedAlready: (([RowIdentity]) -> [Bool])?

    init(path: String, source: SourceContext, offset: Int64 = 0, line: Int = 1, chunkSize: Int = 1 << 20,
         complete: Bool) throws {
        self.path = path
        self.source = source
        self.offset = offset
        self.line = line
        self.chunkSize = chunkSize
        self.complete = complete
        decoder = try source.makeDecoder()
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        size = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
        if decoder.wantsHeader, offset > 0 { HeaderLine.prime(&decoder, descriptor: descriptor) }
        // Sized to what is new (a live append is a line or two), at most one chunk.
        buffer = [UInt8](repeating: 0, count: Int(min(Int64(chunkSize), max(Int64(128 << 10), size - offset))))
    }

    deinit { close(descriptor) }

    /// The next chunk's records with the position after them, or nil when no complete record
    /// is left to read.
    func next() throws -> RecordBatch? {
        while true {
            let count = try readChunk(at: offset)
            guard count > 0 else { return endOfPromise() }
            let final = complete && count < buffer.count
            var batch = RecordBatch(source: source, file: path)
            var (consumed, lines) = buffer.withUnsafeBufferPointer {
                batch.decode(UnsafeBufferPointer(rebasing: $0[0..<count]), firstLine: line, final: final, decoder: &decoder,
                             storedAlready: storedAlready)
            }
            if consumed == 0 {
                guard count == buffer.count else { return endOfPromise() }  // a half-written line: wait for the rest
                if buffer.count < chunkSize {
                    buffer = [UInt8](repeating: 0, count: chunkSize)
                    continue
                }
                guard let skip = try lengthOfOversizedRecord() else { return nil }
                batch.rejected.append(RejectedRecord(
                    file: path, line: line,
                    reason: "record of at least \(skip) bytes without a line feed; the limit is 64 KiB",
                    raw: Array(buffer.prefix(1024))))
                consumed = Int(skip)
                lines = 1
            }
            offset += Int64(consumed)
            line += lines
            batch.pendingBytes = max(0, size - offset)
            batch.moreToRead = count == buffer.count
            promisedMore = batch.moreToRead
            return batch
        }
    }

    /// Nil when nothing is left to read; but once after a chunk that filled the buffer (the
    /// file ended exactly there, or in a half-written line), an empty batch saying nothing
    /// more is to read now.
    private func endOfPromise() -> RecordBatch? {
        guard promisedMore else { return nil }
        promisedMore = false
        var batch = RecordBatch(source: source, file: path)
        batch.pendingBytes = max(0, size - offset)
        return batch
    }

    private func readChunk(at position: Int64) throws -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, off_t(position)) }
            if count >= 0 { return count }
            if errno != EINTR { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        }
    }

    /// The length of the record at `offset` up to and including its line feed; for a
    /// complete file without one, up to the end of the file. Nil while a live file's record
    /// has no line feed yet.
    private func lengthOfOversizedRecord() throws -> Int64? {
        var scan = [UInt8](repeating: 0, count: 1 << 16)
        var position = offset
        while true {
            let count = scan.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, off_t(position)) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            guard count > 0 else { return complete ? position - offset : nil }
            if let index = scan[0..<count].firstIndex(of: 10) { return position + Int64(index) + 1 - offset }
            position += Int64(count)
        }
    }
}
