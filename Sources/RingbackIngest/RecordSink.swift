import RingbackCore
import RingbackStore

/// Where every source hands what it read, and tells how it is doing: the store's writer,
/// seen from a source. Narrow on purpose: a source reads, decodes and reports; what the
/// rows mean and how they are stored is not its business.
public protocol RecordSink: Sendable {
    /// Stores the batch (its rows, rejects and read position) in one transaction.
    func commit(_ batch: RecordBatch) async throws -> BatchResult
    /// Where the source's file `fileKey` was read up to, as last committed.
    func checkpoint(source: String, fileKey: String) async throws -> Checkpoint?
    /// The file is gone (deleted after rotation): its read position is no longer needed.
    func forgetCheckpoint(source: String, fileKey: String) async throws
    /// The source's state for `ringback status`, with the error that explains it.
    func report(_ state: SourceState, error: String?, of source: SourceContext) async
    /// Bytes written but not read yet, after a pass over the source's files.
    func reportPending(bytes: Int64, of source: SourceContext) async throws
    /// A managers, clients or contacts file dropped into `[directory] path`, imported whole.
    func importDirectoryFile(_ path: String, kind: DirectoryKind) async throws -> ImportResult
}
