import Logging
import RingbackConfig
import RingbackCore
import RingbackStore

/// The one owner of the store's write connection in the daemon: every source hands its
/// batches here, so writes are serialized without locks.
public actor PipelineOwner {
    private let pipeline: IngestPipeline
    private let configuration: RingbackConfiguration
    private let logger: Logger

    public init(storePath: String, configuration: RingbackConfiguration, clock: PipelineClock = .system,
                logger: Logger = Logger(label: "ringback.pipeline")) throws {
        self.logger = logger
        let store = try Store(path: storePath)
        pipeline = try IngestPipeline(store: store, configuration: configuration, clock: clock,
                                      resuming: configuration.sources.map(\.name))
        self.configuration = configuration
    }

    public func commit(_ batch: RecordBatch) throws -> BatchResult { log(try pipeline.commit(batch)) }

    /// Completes settled calls and raises alerts whose time has come.
    public func tick() throws -> BatchResult { log(try pipeline.tick()) }

    /// What a person reading the journal must know of a batch: calls judged without their
    /// starting row, numbers judged again.
    private func log(_ result: BatchResult) -> BatchResult {
        for callID in result.incompleteCalls {
            logger.warning("""
                call judged without the row of the channel that started it: [calls] max_hold ran out; \
                it is judged again if that row still comes
                """, metadata: ["callID": "\(callID)"])
        }
        if result.rejudgedNumbers > 0 {
            logger.info("judged the calls of \(result.rejudgedNumbers) number(s) again: rows arrived after their calls were judged")
        }
        return result
    }

    public var hasSettlingCalls: Bool { pipeline.hasSettlingCalls }

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
