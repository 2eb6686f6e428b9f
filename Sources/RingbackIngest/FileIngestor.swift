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
        let tail = try FileTail(path: path, source: source, chunkSize: chunkSize, complete: true)
        // A file read again (a backfill repeated, an overlapping export) builds no leg for
        // the rows already stored: the decoding thread asks its own connection.
        let stored = try pipeline.store.storedLegLookup()
        tail.storedAlready = { stored.areStored($0) }
        var total = BatchResult()
        var ahead = DecodeAhead(tail)
        // Whatever ends the loop, the helper thread is done with the file before it closes.
        defer { _ = try? ahead.result() }
        while var batch = try ahead.result() {
            ahead = DecodeAhead(tail)
            batch.pendingBytes += laterBytes
            batch.moreToRead = batch.moreToRead || laterBytes > 0
            total.add(try pipeline.commit(batch))
        }
        // The end of the file: every call held is complete.
        var end = RecordBatch(source: source, file: path)
        end.pendingBytes = laterBytes
        end.moreToRead = laterBytes > 0
        total.add(try pipeline.commit(end, flush: true))
        return total
    }
}

/// The next chunk of a file, decoded on another thread. Every one is waited for before its
/// file is closed, so no work outlives `ingest`.
private struct DecodeAhead {
    private let next: OnSecondCore<Result<RecordBatch?, Error>>

    init(_ tail: FileTail) { next = OnSecondCore { Result { try tail.next() } } }

    func result() throws -> RecordBatch? { try next.value().get() }
}
