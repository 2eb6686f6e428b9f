import Dispatch
import Foundation
import RingbackCore

/// Reads whole files through the pipeline: `ringback ingest` and quarantine retries.
///
/// Reading and decoding a chunk is pure work that needs no store, so it runs one chunk ahead
/// on a second thread while the pipeline commits the chunk before it: a backfill keeps both
/// cores busy. At most two decoded chunks exist at once, so memory stays flat.
public struct FileIngestor {
    public let pipeline: IngestPipeline
    public var chunkSize = 1 << 20

    public init(pipeline: IngestPipeline) { self.pipeline = pipeline }

    /// Ingests one file from its start to its end, committing every chunk; the last line
    /// counts even without a line feed, since the file is complete.
    /// `laterBytes`: input still to come after this file (further files of the same run),
    /// which holds back time-based alerts until it is read too.
    public func ingest(path: String, source: SourceContext, laterBytes: Int64 = 0) throws -> BatchResult {
        let chunks = try FileChunks(path: path, source: source, laterBytes: laterBytes, chunkSize: chunkSize)
        var total = BatchResult()
        var ahead = DecodeAhead(chunks)
        // Whatever ends the loop, the helper thread is done with the file before it closes.
        defer { _ = try? ahead.result() }
        while true {
            let batch = try ahead.result()
            if !batch.atEnd { ahead = DecodeAhead(chunks) }
            let result = try pipeline.commit(batch.records, flush: batch.atEnd)
            total.stored += result.stored
            total.duplicates += result.duplicates
            total.rejected += result.rejected
            total.calls += result.calls
            total.alerts += result.alerts
            if batch.atEnd { return total }
        }
    }
}

/// One chunk of a file, decoded.
struct DecodedChunk: Sendable {
    var records: RecordBatch
    /// The file's last chunk: every record in it is complete.
    var atEnd: Bool
}

/// The next chunk of `chunks`, decoded on another thread. `result()` waits for it; every
/// `DecodeAhead` is waited for before its file is closed, so no work outlives `ingest`.
private final class DecodeAhead: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<DecodedChunk, Error>?
    private var waited = false

    init(_ chunks: FileChunks) {
        DispatchQueue.global().async {
            self.outcome = Result { try chunks.next() }
            self.done.signal()
        }
    }

    func result() throws -> DecodedChunk {
        if !waited {
            done.wait()
            waited = true
        }
        return try outcome!.get()
    }
}

/// A file read chunk by chunk into decoded record batches. Used by one thread at a time
/// (`DecodeAhead` hands it over), hence unchecked.
private final class FileChunks: @unchecked Sendable {
    private let path: String
    private let source: SourceContext
    private let laterBytes: Int64
    private let descriptor: Int32
    private let size: Int64
    private var decoder: any CDRDecoder
    private var buffer: [UInt8]
    private var carried = 0
    private var line = 1
    private var offset: Int64 = 0

    init(path: String, source: SourceContext, laterBytes: Int64, chunkSize: Int) throws {
        self.path = path
        self.source = source
        self.laterBytes = laterBytes
        decoder = try source.makeDecoder()
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        var info = stat()
        size = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
        buffer = [UInt8](repeating: 0, count: chunkSize)
    }

    deinit { close(descriptor) }

    func next() throws -> DecodedChunk {
        while true {
            let count = buffer.withUnsafeMutableBytes { raw in
                read(descriptor, raw.baseAddress! + carried, raw.count - carried)
            }
            guard count >= 0 else { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            let available = carried + count
            let atEnd = count == 0
            var batch = RecordBatch(source: source, file: path)
            offset += Int64(count)
            let (consumed, lines) = buffer.withUnsafeBufferPointer {
                batch.decode(UnsafeBufferPointer(rebasing: $0[0..<available]), firstLine: line, final: atEnd, decoder: &decoder)
            }
            if consumed == 0, !atEnd, available == buffer.count {
                // One record larger than the whole buffer: grow (the decoder rejects it).
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
                carried = available
                continue
            }
            batch.pendingBytes = max(0, size - offset) + Int64(available - consumed) + laterBytes
            batch.moreToRead = !atEnd || laterBytes > 0
            line += lines
            // Keep the unfinished tail at the front of the buffer.
            carried = available - consumed
            if carried > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + consumed, byteCount: carried)
                }
            }
            return DecodedChunk(records: batch, atEnd: atEnd)
        }
    }
}
