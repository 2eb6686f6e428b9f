import RingbackConfig
import RingbackCore
import RingbackStore

/// The one owner of the store's write connection in the daemon: every source hands its
/// batches here, so writes are serialized without locks.
public actor PipelineOwner {
    private let pipeline: IngestPipeline
    private let configuration: RingbackConfiguration

    public init(storePath: String, configuration: RingbackConfiguration, clock: PipelineClock = .system) throws {
        let store = try Store(path: storePath)
        pipeline = try IngestPipeline(store: store, configuration: configuration, clock: clock)
        self.configuration = configuration
    }

    public func commit(_ batch: RecordBatch) throws -> BatchResult { try pipeline.commit(batch) }

    /// Completes settled calls and raises alerts whose time has come.
    public func tick() throws -> BatchResult { try pipeline.tick() }

    public var hasWaitingLegs: Bool { pipeline.hasWaitingLegs }

    public func checkStoreInPlace() throws { try pipeline.store.checkStillInPlace() }

    public func summary(now: Int64) throws -> (lastCDRAt: Int64?, overdue: Int) {
        try pipeline.store.daemonSummary(now: now)
    }

    public func checkpoint(source: String, fileKey: String) throws -> Checkpoint? {
        try pipeline.store.checkpoint(source: source, fileKey: fileKey)
    }

    public func forgetCheckpoint(source: String, fileKey: String) throws {
        try pipeline.store.forgetCheckpoint(source: source, fileKey: fileKey)
    }

    public func reportFailure(source: String, kind: String, error: String, now: Int64) {
        try? pipeline.store.recordSourceFailure(name: source, kind: kind, error: error, now: now)
    }

    public func reportState(source: String, kind: String, state: String, error: String?, now: Int64) {
        try? pipeline.store.recordSourceState(name: source, kind: kind, state: state, error: error, now: now)
    }

    public func reportProgress(source: String, kind: String, pendingBytes: Int64, now: Int64) throws {
        try pipeline.store.recordSourceProgress(name: source, kind: kind, rows: 0, rejected: 0, lastRowAt: nil,
                                                pendingBytes: pendingBytes, now: now)
    }

    /// Hook deliveries: new alerts queued (or skipped when older than `maxAge`), the due ones
    /// claimed. Only bookkeeping runs here; the program runs outside the owner.
    public func claimHookDeliveries(now: Int64, maxAge: Int64, limit: Int) throws -> [HookJob] {
        try pipeline.store.enqueueHookDeliveries(now: now, maxAge: maxAge)
        return try pipeline.store.claimHookDeliveries(now: now, limit: limit)
    }

    public func finishHookDelivery(alertID: Int64, delivered: Bool, error: String?, retryAt: Int64?, now: Int64) throws {
        try pipeline.store.finishHookDelivery(alertID: alertID, delivered: delivered, error: error, retryAt: retryAt, now: now)
    }

    public func importDirectoryFile(_ path: String, kind: DirectoryKind, now: Int64) throws -> ImportResult {
        try DirectoryImporter(configuration: configuration).importFile(path, kind: kind, into: pipeline.store, now: now)
    }
}
