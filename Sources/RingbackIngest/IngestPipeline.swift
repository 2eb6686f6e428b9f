import RingbackConfig
import RingbackCore
import RingbackStore

/// Drives decoded legs through call assembly and the rules into the store.
///
/// The one writer of the store: every batch is one transaction holding its legs, its
/// rejected records, the source's read position, the calls that became complete and the
/// callbacks and alerts they caused. Legs of calls not yet complete are stored at once
/// (with `call_id` NULL) and reloaded after a restart, so a crash loses nothing.
///
/// The answers do not depend on how the rows were spread over time (SPEC §3): a call is
/// judged only once complete, and when rows arrive after their call was judged, or a call
/// completes after a later call of the same number was judged, that number's calls are
/// judged again in order of their start (`Rejudging`).
public final class IngestPipeline {
    public let store: any IngestStore
    public let configuration: RingbackConfiguration
    public private(set) var context: RuleContext
    private var directoryVersion: Int
    private var assembler: CallAssembler
    private let clock: RingbackClock
    /// The sources whose held rows this pipeline takes up after a restart.
    private let resumedSources: [String]
    /// For each source with more input to read at once: the latest CDR end read from it so far.
    private var unreadSourceHorizon: [String: Int64] = [:]
    /// A `pbx_silent` alert is open: the next CDR resolves it.
    private var silenceOpen = false

    /// `resuming`: the sources whose held rows (stored, not yet part of a judged call) this
    /// pipeline completes; the daemon names its sources, a one-shot run none.
    public init(store: any IngestStore, configuration: RingbackConfiguration, clock: RingbackClock = .system,
                resuming sources: [String] = []) throws {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        resumedSources = sources
        try store.registerOffice(configuration.office, now: clock.wallSeconds())
        directoryVersion = try store.directoryVersion()
        context = try RuleContext(configuration: configuration, directory: try store.loadDirectory())
        assembler = CallAssembler(timing: configuration.calls.assemblyTiming, office: configuration.office)
        try reloadWaitingLegs()
        silenceOpen = try store.hasOpenSilenceAlert()
    }

    /// Some held call may complete by time alone soon (settling, waiting for an answering
    /// `Local/` half): the daemon then ticks often.
    public var hasSettlingCalls: Bool { assembler.hasSettlingCalls }

    /// Rows are held for calls not judged yet.
    public var hasWaitingLegs: Bool { !assembler.isEmpty }

    private func reloadWaitingLegs() throws {
        assembler = CallAssembler(timing: configuration.calls.assemblyTiming, office: configuration.office)
        if let latest = try store.latestLegStart() { assembler.observe(dataReachingTo: latest) }
        guard !resumedSources.isEmpty else { return }
        let now = clock.monotonicMilliseconds()
        let wall = clock.wallSeconds()
        for var pending in try store.waitingLegs(sources: resumedSources) {
            if pending.receivedAt == 0 { pending.receivedAt = wall }
            assembler.add(pending, now: now)
        }
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
                var fresh = FreshLegs(firstID: 0)
                if let batch { fresh = try admit(batch, arrival: arrival, now: now, into: &result) }
                try joinRecordedCalls()
                let complete = flush
                    ? assembler.takeAll()
                    : assembler.takeComplete(now: arrival, wallNow: now, holdTail: !unreadSourceHorizon.isEmpty)
                var rejudging = Rejudging()
                let calls = try recall(complete, fresh: &fresh)
                // What the rows say is pure: worked out on the other core while this one
                // stores the batch's rows.
                let classifier = context.classifier
                let classifyAll: @Sendable () -> [Call] = { calls.map { classifier.classify(callID: $0.callID, legs: $0.legs) } }
                let classifying = calls.count >= Self.callsWorthASecondCore ? OnSecondCore(classifyAll) : nil
                defer { _ = classifying?.value() }
                if let batch { try write(batch, fresh: fresh, now: now, into: &result) }
                let classified = classifying?.value() ?? classifyAll()
                try store.lockNumbers(classified.compactMap(\.number))
                result.calls = try record(calls, classified: classified, rejudging: &rejudging, into: &result)
                try rejudging.replay(in: store, context: context)
                result.rejudgedNumbers = rejudging.numbers.count
                result.alerts = try store.raiseDueAlerts(now: alertHorizon(now: now), headID: context.headID,
                                                         heldBack: heldNumbers())
                if !rejudging.isEmpty { try store.finishRejudging() }
                if let batch {
                    try store.recordSourceProgress(name: batch.source.name, kind: batch.source.kind, rows: result.stored,
                                                   rejected: result.rejected, lastRowAt: batch.latestEnd,
                                                   pendingBytes: batch.pendingBytes, now: now)
                    // The PBX speaks (a one-shot load of old files does not count).
                    if batch.source.kind != .command, !batch.legs.isEmpty {
                        try store.noteCDRArrival(now: now, resolvingSilence: silenceOpen)
                        silenceOpen = false
                    }
                }
                return result
            }
        } catch {
            // The transaction rolled back: the assembler must forget what it was given.
            try? reloadWaitingLegs()
            silenceOpen = (try? store.hasOpenSilenceAlert()) ?? true
            throw error
        }
    }

    /// The legs of a batch that are new to the store, numbered from `firstID` in order, with
    /// the call each one turned out to belong to in this same batch.
    struct FreshLegs {
        var firstID: Int64
        /// Positions in the batch's legs.
        var positions: [Int] = []
        var callIDs: [String?] = []

        func contains(_ id: Int64) -> Bool { id >= firstID && id < firstID + Int64(positions.count) }
    }

    /// Hands the batch's new legs to the assembler. A leg already stored, or met earlier in
    /// the batch, is a duplicate (SPEC §5.1). The new legs are written after the calls are
    /// assembled, so that most are stored once, already linked to their call.
    private func admit(_ batch: RecordBatch, arrival: Int64, now: Int64, into result: inout BatchResult) throws -> FreshLegs {
        guard batch.legs.count <= Store.legIDBlock else {
            throw StoreError(.other, "a batch of \(batch.legs.count) rows is more than one block of leg ids: read it in smaller chunks")
        }
        var fresh = FreshLegs(firstID: try store.nextLegID())
        var seen = Set<LegDigest>(minimumCapacity: batch.legs.count)
        fresh.positions.reserveCapacity(batch.legs.count)
        // The start is part of a leg's identity: one starting after every stored leg is new
        // without asking (most rows of a backfill, and of a live PBX).
        let latestStored = try store.latestLegStart() ?? .min
        for (position, (leg, _, digest)) in batch.legs.enumerated() {
            guard seen.insert(digest).inserted,
                  try leg.start > latestStored || !store.legExists(start: leg.start, digest: digest) else {
                result.duplicates += 1
                continue
            }
            assembler.add(PendingLeg(id: fresh.firstID + Int64(fresh.positions.count), leg: leg, receivedAt: now),
                          now: arrival)
            fresh.positions.append(position)
        }
        result.duplicates += batch.storedDuplicates
        fresh.callIDs = Array(repeating: nil, count: fresh.positions.count)
        result.stored = fresh.positions.count
        return fresh
    }

    /// Held rows that belong to a call already judged (they came after it, or after
    /// `max_hold`) join it at once instead of waiting for a starting row that was read long ago.
    private func joinRecordedCalls() throws {
        for (key, legs) in assembler.uncheckedHeldCalls() {
            if let callID = try store.recordedCall(joining: legs, maxHoldSeconds: assembler.timing.maxHoldSeconds) {
                assembler.join(key, toRecordedCall: callID)
            }
        }
    }

    private func write(_ batch: RecordBatch, fresh: FreshLegs, now: Int64, into result: inout BatchResult) throws {
        for (offset, position) in fresh.positions.enumerated() {
            let new = batch.legs[position]
            try store.insertLeg(new.leg, id: fresh.firstID + Int64(offset), digest: new.digest, callID: fresh.callIDs[offset],
                                source: batch.source.name, file: batch.file, line: new.line, receivedAt: now)
        }
        for record in batch.rejected {
            try store.quarantine(record, source: batch.source.name, dialect: batch.source.dialect.rawValue,
                                 timeZone: batch.source.zone.identifier, now: now)
        }
        for id in batch.quarantineIDs { try store.removeQuarantined(id) }
        result.rejected = batch.rejected.count
        if let (fileKey, position) = batch.checkpoint {
            try store.saveCheckpoint(source: batch.source.name, fileKey: fileKey, position, now: now)
        }
        updateHorizon(batch)
    }

    /// `ringback rejudge --since` (SPEC §6): every call recorded from `since` on is judged
    /// again from its rows, with today's rules and directory, in one transaction. Alerts
    /// raised again keep their ids, so a hook that had one does not get it twice.
    public func rejudge(since: Int64) throws -> (calls: Int, numbers: Int) {
        try refreshDirectoryIfChanged()
        let now = clock.wallSeconds()
        return try store.transaction {
            var rejudging = Rejudging()
            // Its own office's calls: another office's rows are classified by that office's PBX plan.
            let calls = try store.recordedCalls(from: since).filter { $0.office == configuration.office }
            // A daemon judging one of these numbers meanwhile waits (or is waited for).
            try store.lockNumbers(calls.compactMap(\.number))
            for judged in calls {
                let legs = try store.legs(of: judged)
                rejudging.replace(judged, with: legs.isEmpty ? judged : try judge(callID: judged.callID, legs: legs))
            }
            try rejudging.replay(in: store, context: context)
            try store.raiseDueAlerts(now: alertHorizon(now: now), headID: context.headID, heldBack: heldNumbers())
            if !rejudging.isEmpty { try store.finishRejudging() }
            return (calls.count, rejudging.numbers.count)
        }
    }

    /// Raises `pbx_silent` for the head when no CDR came from the daemon's sources for
    /// `[alerts] pbx_silent_after` minutes of working time since the last one (or since
    /// `started`, for a store that never had one); once per silence (SPEC §8.5). The
    /// daemon's sweep calls it.
    @discardableResult
    public func checkSilence(since started: Int64) throws -> Bool {
        guard let silence = context.silence, !silenceOpen else { return false }
        let last = try store.lastCDRArrival() ?? started
        let due = silence.alertTime(after: last)
        guard due <= clock.wallSeconds() else { return false }
        let raised = try store.transaction { try store.raiseSilenceAlert(at: due, since: last, headID: context.headID) }
        silenceOpen = true
        return raised
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
    /// condition became true (SPEC §4.5), so it can only be raised once every row that could
    /// have prevented it has been read: not past the data of a source that is still catching
    /// up. Otherwise a backfill would raise an overdue alert for a callback that a later row
    /// of the same file resolves in time. Calls held for their starting row hold back only
    /// their own number's alerts (`heldNumbers`).
    func alertHorizon(now: Int64) -> Int64 {
        min(now, unreadSourceHorizon.values.min() ?? now)
    }

    /// Each number taking part in a held call → the earliest start of such a call.
    private func heldNumbers() -> [String: Int64] {
        var held: [String: Int64] = [:]
        for (party, start) in assembler.heldParties() where !context.classifier.extensions.isExtension(party) {
            guard let number = context.classifier.numbers.normalize(context.classifier.numbers.strippingOutsidePrefix(party))
            else { continue }
            held[number] = min(held[number] ?? .max, start)
        }
        return held
    }

    /// A call that became complete in this batch, with every row it has: those stored before
    /// too when it was judged already (rows that came after it was judged).
    struct CompleteCall: Sendable {
        var callID: String
        var legs: [CallLeg]
        var judged: Call?
        var incomplete: Bool
    }

    /// Below this many calls a batch (the daemon's, live) classifies them on its own thread:
    /// handing them over would cost more than it saves.
    static let callsWorthASecondCore = 64

    /// Links the batch's calls to their rows and reads what the store knows of them, before
    /// the batch's rows are stored: a call judged already is found with its earlier rows.
    private func recall(_ calls: [AssembledCall], fresh: inout FreshLegs) throws -> [CompleteCall] {
        try calls.map { assembled in
            var stored: [Int64] = []
            for pending in assembled.legs {
                if fresh.contains(pending.id) {
                    fresh.callIDs[Int(pending.id - fresh.firstID)] = assembled.callID
                } else {
                    stored.append(pending.id)
                }
            }
            // Its earlier rows are read before these are linked to it.
            let judged = try store.recordedCall(assembled.callID)
            let earlier = try judged.map { try store.legs(of: $0) } ?? []
            if !stored.isEmpty { try store.assignLegs(stored, toCall: assembled.callID) }
            return CompleteCall(callID: assembled.callID, legs: earlier + assembled.legs.map(\.leg), judged: judged,
                                incomplete: assembled.incomplete)
        }
    }

    /// Applies the rules to the batch's calls, `classified` being what their rows say.
    private func record(_ calls: [CompleteCall], classified: [Call], rejudging: inout Rejudging,
                        into result: inout BatchResult) throws -> Int {
        var recorded = 0
        for (complete, classified) in zip(calls, classified) {
            let call = try corrected(classified, legs: complete.legs)
            // Rows that came after their call was judged: judge it again with all its rows when
            // they change what it was.
            if let judged = complete.judged {
                if call.judgement != judged.judgement {
                    rejudging.replace(judged, with: call)
                } else if call != judged {
                    try store.updateDetails(of: call)
                }
                continue
            }
            if complete.incomplete { result.incompleteCalls.append(call.callID) }
            // A call judged after a later call of its number: judge the number's calls in order.
            let outOfOrder = try call.number.map { try rejudging.includes($0) || store.hasCallAfter(number: $0, start: call.startedAt) }
            if outOfOrder == true {
                rejudging.add(call)
                continue
            }
            let open = try call.number.flatMap { try store.openCallback(number: $0) }
            let decision = context.rules.decide(call, directory: context.directory, openCallback: open)
            if try store.record(call, decision: decision, headID: context.headID) { recorded += 1 }
        }
        return recorded + rejudging.added
    }

    /// What a call was, from its rows; for a call Ringback originated, as its request says,
    /// with its talk from the client's answer that the AMI link recorded (SPEC §9.1).
    private func judge(callID: String, legs: [CallLeg]) throws -> Call {
        try corrected(context.classifier.classify(callID: callID, legs: legs), legs: legs)
    }

    /// `call` as its request says, when Ringback originated it. Only a call whose rows carry
    /// a request's channel id costs a look-up.
    private func corrected(_ call: Call, legs: [CallLeg]) throws -> Call {
        guard let channelID = OriginatedCall.channelID(in: legs),
              let request = try store.originatedRequest(ofChannel: channelID) else { return call }
        return OriginatedCall.corrected(call, by: request, minTalk: context.classifier.settings.minTalk)
    }
}
