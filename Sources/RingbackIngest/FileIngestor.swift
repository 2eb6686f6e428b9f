import Foundation
import RingbackCore

/// Reads whole files through the pipeline: `ringback ingest` and quarantine retries.
public struct FileIngestor {
    public let pipeline: IngestPipeline
    public var chunkSize = 1 << 20

    public init(pipeline: IngestPipeline) { self.pipeline = pipeline }

    /// Ingests one file from its start to its end, committing every chunk; the last line
    /// counts even without a line feed, since the file is complete.
    /// `laterBytes`: input still to come after this file (further files of the same run),
    /// which holds back time-based alerts until it is read too.
    public func ingest(path: String, source: SourceContext, laterBytes: Int64 = 0) throws -> BatchResult {
        var decoder = try source.makeDecoder()
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var total = BatchResult()
        var info = stat()
        let size = fstat(descriptor, &info) == 0 ? Int64(info.st_size) : 0
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var carried = 0
        var line = 1
        var offset: Int64 = 0
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
            batch.pendingBytes = max(0, size - offset) + Int64(available - consumed) + laterBytes
            batch.moreToRead = !atEnd || laterBytes > 0
            line += lines
            if consumed == 0, !atEnd, available == buffer.count {
                // One record larger than the whole buffer: grow (the decoder rejects it).
                buffer.append(contentsOf: [UInt8](repeating: 0, count: buffer.count))
                carried = available
                continue
            }
            let result = try pipeline.commit(batch, flush: atEnd)
            total.stored += result.stored
            total.duplicates += result.duplicates
            total.rejected += result.rejected
            total.calls += result.calls
            total.alerts += result.alerts
            if atEnd { return total }
            // Keep the unfinished tail at the front of the buffer.
            carried = available - consumed
            if carried > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + consumed, byteCount: carried)
                }
            }
        }
    }
}
