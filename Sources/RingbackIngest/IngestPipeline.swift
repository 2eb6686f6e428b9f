import RingbackConfig
import RingbackCore
import RingbackStore

/// Drives decoded legs through call assembly and the rules into the store.
///
/// The one writer of the store: every batch is one transaction holding its legs, its
/// rejected records, the source's read position, the calls that became complete and the
/// callbacks and alerts they caused. Legs of calls not yet complete are stored at once
/// (with `call_id` NULL) and reloaded after a restart, so a crash loses nothing.
public final class IngestPipeline {
    public let store: Store
    public let configuration: RingbackConfiguration
    public private(set) var context: RuleContext
    private var directoryVersion: Int
    private var assembler: CallAssembler
    private let clock: PipelineClock
    /// For each source with more input to read at once: the latest CDR end read from it so far.
    private var unreadSourceHorizon: [String: Int64] = [:]

    public init(store: Store, configuration: RingbackConfiguration, clock: PipelineClock = .system) throws {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        directoryVersion = try store.directoryVersion()
        context = try RuleContext(configuration: configuration, directory: try store.loadDirectory())
        assembler = CallAssembler(settleMilliseconds: configuration.calls.settleMilliseconds,
                                  mergeWindowSeconds: configuration.calls.mergeWindow)
        try reloadWaitingLegs()
    }

    public var hasWaitingLegs: Bool { !assembler.isEmpty }

    private func reloadWaitingLegs() throws {
        assembler = CallAssembler(settleMilliseconds: configuration.calls.settleMilliseconds,
                                  mergeWindowSeconds: configuration.calls.mergeWindow)
        let now = clock.monotonicMilliseconds()
        for pending in try store.waitingLegs() { assembler.add(pending, now: now) }
    }

    private func refreshDirectoryIfChanged() throws {
        let version = try store.directoryVersion()
        guard version != directoryVersion else { return }
        context = try RuleContext(configuration: configuration, directory: try store.loadDirectory())
        directoryVersion = version
    }

    /// Commits one batch. With `flush`, every call held is taken as complete (the input
    /// has ended, as at the end of a one-shot ingest).
    @discardableResult
    public func commit(_ batch: RecordBatch, flush: Bool = false) throws -> BatchResult {
        try process(batch, flush: flush)
    }

    /// Completes calls that have settled and raises alerts whose time has come; the
    /// daemon calls this on a timer so an overdue callback is noticed without new CDRs.
    @discardableResult
    public func tick(flush: Bool = false) throws -> BatchResult {
        try process(nil, flush: flush)
    }

    /// One transaction: the batch's rows, rejects and read position, the calls that became
    /// complete with what the rules made of them, and the alerts whose time has come.
    private func process(_ batch: RecordBatch?, flush: Bool) throws -> BatchResult {
        try refreshDirectoryIfChanged()
        let now = clock.wallSeconds()
        let arrival = clock.monotonicMilliseconds()
        do {
            return try store.transaction {
                var result = BatchResult()
                if let batch { try write(batch, now: now, arrival: arrival, into: &result) }
                let complete = flush
                    ? assembler.takeAll() : assembler.takeComplete(now: arrival, holdTail: !unreadSourceHorizon.isEmpty)
                result.calls = try record(complete)
                result.alerts = try store.raiseDueAlerts(now: alertHorizon(now: now), headID: context.headID)
                if let batch {
                    try store.recordSourceProgress(name: batch.source.name, kind: batch.source.kind, rows: result.stored,
                                                   rejected: result.rejected, lastRowAt: batch.latestEnd,
                                                   pendingBytes: batch.pendingBytes, now: now)
                }
                return result
            }
        } catch {
            // The transaction rolled back: the assembler must forget what it was given.
            try? reloadWaitingLegs()
            throw error
        }
    }

    private func write(_ batch: RecordBatch, now: Int64, arrival: Int64, into result: inout BatchResult) throws {
        for (leg, line) in batch.legs {
            if let id = try store.insertLeg(leg, source: batch.source.name, file: batch.file, line: line) {
                assembler.add(PendingLeg(id: id, leg: leg), now: arrival)
                result.stored += 1
            } else {
                result.duplicates += 1
            }
        }
        for record in batch.rejected {
            try store.quarantine(record, source: batch.source.name, dialect: batch.source.dialect.rawValue,
                                 timeZone: batch.source.timeZone, now: now)
        }
        result.rejected = batch.rejected.count
        if let (fileKey, position) = batch.checkpoint {
            try store.saveCheckpoint(source: batch.source.name, fileKey: fileKey, position, now: now)
        }
        updateHorizon(batch)
    }

    /// The input has ended (a one-shot run): complete every call held and raise every alert
    /// whose time has come.
    @discardableResult
    public func finish() throws -> BatchResult {
        unreadSourceHorizon.removeAll()
        return try tick(flush: true)
    }

    private func updateHorizon(_ batch: RecordBatch) {
        guard batch.moreToRead else {
            unreadSourceHorizon[batch.source.name] = nil
            return
        }
        unreadSourceHorizon[batch.source.name] = max(unreadSourceHorizon[batch.source.name] ?? .min, batch.latestEnd ?? .min)
    }

    /// The moment up to which time-based alerts may be raised. An alert's time is when its
    /// condition became true (SPEC §4.5), so it can only be raised once every call that
    /// could have prevented it has been read: not past a call still held, and not past the
    /// data of a source that is still catching up. Otherwise a backfill would raise an
    /// overdue alert for a callback that a later row of the same file resolves in time.
    func alertHorizon(now: Int64) -> Int64 {
        var horizon = now
        if let held = assembler.earliestHeldStart { horizon = min(horizon, held) }
        if let unread = unreadSourceHorizon.values.min() { horizon = min(horizon, unread) }
        return horizon
    }

    private func record(_ calls: [AssembledCall]) throws -> Int {
        var recorded = 0
        for assembled in calls {
            let ids = assembled.legs.map(\.id)
            // A leg that arrives after its call was completed joins it without re-running the
            // rules: the call's outcome was already acted on.
            if try store.callExists(assembled.callID) {
                try store.assignLegs(ids, toCall: assembled.callID)
                continue
            }
            let call = context.classifier.classify(callID: assembled.callID, legs: assembled.legs.map(\.leg))
            let open = try call.number.flatMap { try store.openCallback(number: $0) }
            let decision = context.rules.decide(call, directory: context.directory, openCallback: open)
            try store.record(call, decision: decision, headID: context.headID)
            try store.assignLegs(ids, toCall: assembled.callID)
            recorded += 1
        }
        return recorded
    }
}
