import Logging
import RingbackConfig
import RingbackCore
import RingbackStore

/// The store's writer in the daemon: it owns the only read-write connection, and every
/// source, the sweep and the hook service hand their work here, so writes are serialized
/// without locks. Readers (the CLI, later the web side) use read-only connections of their
/// own and never wait for it.
public actor StoreWriter: RecordSink, CallRequestQueue {
    private let pipeline: IngestPipeline
    private let configuration: RingbackConfiguration
    private let clock: RingbackClock
    private let logger: Logger

    public init(store location: StoreLocation, configuration: RingbackConfiguration, clock: RingbackClock = .system,
                logger: Logger = Logger(label: "ringback.store")) throws {
        self.logger = logger
        self.clock = clock
        started = clock.wallSeconds()
        let store = try Store(location)
        store.fileWebhookEvents(configuration.webhookRouting, clock: clock.wallSeconds)
        pipeline = try IngestPipeline(store: store, configuration: configuration, clock: clock,
                                      resuming: configuration.sources.map(\.name))
        self.configuration = configuration
    }

    public func commit(_ batch: RecordBatch) throws -> BatchResult { log(try pipeline.commit(batch)) }

    /// Completes settled calls and raises alerts whose time has come; at most every few
    /// seconds it also leaves the daemon's heartbeat in the store (`ringback_daemon_up`) and
    /// looks for a silent PBX.
    public func tick() throws -> BatchResult {
        var result = log(try pipeline.tick())
        let now = clock.wallSeconds()
        if now - lastHeartbeat >= 5 {
            try pipeline.store.recordDaemonHeartbeat(now: now)
            lastHeartbeat = now
            if try pipeline.checkSilence(since: started) {
                logger.warning("no CDR from any source for [alerts] pbx_silent_after minutes of working time: pbx_silent raised")
                result.alerts += 1
            }
        }
        return result
    }

    private var lastHeartbeat: Int64 = 0

    /// Deletes one chunk of what is older than `[store] keep_days`, once a day; the sweep
    /// calls it until it returns 0, so ingestion goes on between the chunks. Returns the
    /// rows deleted.
    public func purgeExpired(chunk: Int = 10_000) throws -> Int {
        guard let days = configuration.keepDays else { return 0 }
        let now = clock.wallSeconds()
        if let last = try pipeline.store.lastPurge(), now - last < 86_400, !purging { return 0 }
        purging = true
        let deleted = try pipeline.store.purge(before: now - Int64(days) * 86_400, limit: chunk)
        if deleted == 0 {
            purging = false
            try pipeline.store.recordPurge(at: now)
        }
        return deleted
    }

    /// A purge is under way, chunk by chunk.
    private var purging = false
    /// When this writer started: the silence of a store that never had a CDR counts from here.
    private let started: Int64

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

    public func summary() throws -> (lastCDRAt: Int64?, overdue: Int) {
        try pipeline.store.daemonSummary(now: clock.wallSeconds())
    }

    public func checkpoint(source: String, fileKey: String) throws -> Checkpoint? {
        try pipeline.store.checkpoint(source: source, fileKey: fileKey)
    }

    public func forgetCheckpoint(source: String, fileKey: String) throws {
        try pipeline.store.forgetCheckpoint(source: source, fileKey: fileKey)
    }

    public func report(_ state: SourceState, error: String?, of source: SourceContext) {
        // Best effort: a store that cannot take the news (full, locked) is logged by the caller.
        try? pipeline.store.recordSourceState(name: source.name, kind: source.kind, state: state, error: error,
                                              now: clock.wallSeconds())
    }

    public func reportPending(bytes: Int64, of source: SourceContext) throws {
        try pipeline.store.recordSourceProgress(name: source.name, kind: source.kind, rows: 0, rejected: 0, lastRowAt: nil,
                                                pendingBytes: bytes, now: clock.wallSeconds())
    }

    /// Hook deliveries: new alerts queued (or skipped when older than `maxAge`), the due ones
    /// claimed. Only bookkeeping runs here; the program runs outside the writer.
    public func claimHookDeliveries(maxAge: Int64, limit: Int) throws -> [HookJob] {
        let now = clock.wallSeconds()
        try pipeline.store.enqueueHookDeliveries(now: now, maxAge: maxAge)
        return try pipeline.store.claimHookDeliveries(now: now, limit: limit)
    }

    /// `retryAt`: when to try again; nil: no more attempts.
    public func finishHookDelivery(alertID: Int64, delivered: Bool, error: String?, retryAt: Int64?) throws {
        try pipeline.store.finishHookDelivery(alertID: alertID, delivered: delivered, error: error, retryAt: retryAt,
                                              now: clock.wallSeconds())
    }

    public func importDirectoryFile(_ path: String, kind: DirectoryKind) throws -> ImportResult {
        try DirectoryImporter(configuration: configuration).importFile(path, kind: kind, into: pipeline.store,
                                                                       now: clock.wallSeconds())
    }

    public func claimCallRequests() throws -> [CallRequest] {
        try pipeline.store.claimQueuedCallRequests(now: clock.wallSeconds(), staleAfter: CallRequest.staleQueuedSeconds)
    }

    public func finishCallRequest(_ id: Int64, connected: Bool, reason: String?) throws {
        try pipeline.store.finishCallRequest(id, connected: connected, reason: reason, now: clock.wallSeconds())
    }

    public func failSentCallRequests(olderThanTimeoutPlus grace: Int64?, reason: String) throws {
        try pipeline.store.failSentCallRequests(olderThanTimeoutPlus: grace, reason: reason, now: clock.wallSeconds())
    }

    public func recordDialEnd(ofCallRequest id: Int64, status: String) throws {
        try pipeline.store.recordDialEnd(ofCallRequest: id, status: status, now: clock.wallSeconds())
    }
}
