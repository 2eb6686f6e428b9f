import RingbackCore

/// What ingestion writes, inside the pipeline's transactions (one per batch): the rows
/// and their read positions, the calls and what the rules made of them, judging a number's
/// calls again, hook deliveries and each source's health. Only the daemon's writer and the
/// commands that load data use it.
public protocol IngestStore: StoreWriting {
    // Rows
    func nextLegID() throws -> Int64
    func legExists(start: Int64, digest: LegDigest) throws -> Bool
    /// Tells stored rows from another thread than the store's, on a connection of its own:
    /// it sees what was committed, never the open transaction's rows (the caller asks the
    /// store again for a row it does not know).
    func storedLegLookup() throws -> any StoredLegLookup
    func insertLeg(_ leg: CallLeg, id: Int64, digest: LegDigest, callID: String?, source: String, file: String,
                   line: Int, receivedAt: Int64) throws
    func assignLegs(_ ids: [Int64], toCall callID: String) throws
    /// Rows stored but not yet part of a judged call, of these sources.
    func waitingLegs(sources: [String]) throws -> [PendingLeg]
    func latestLegStart() throws -> Int64?
    func quarantine(_ record: RejectedRecord, source: String, dialect: String, timeZone: String, now: Int64) throws

    // Read positions
    func checkpoint(source: String, fileKey: String) throws -> Checkpoint?
    func saveCheckpoint(source: String, fileKey: String, _ checkpoint: Checkpoint, now: Int64) throws
    func forgetCheckpoint(source: String, fileKey: String) throws

    // Calls and the rules
    /// Taken before the rules run for these numbers in this transaction (several daemons).
    func lockNumbers(_ numbers: [String]) throws
    func openCallback(number: String) throws -> OpenCallback?
    /// Stores a judged call and applies the rules' decision; false when it was stored already.
    @discardableResult
    func record(_ call: Call, decision: CallDecision, headID: String?) throws -> Bool
    /// Raises the overdue and no-contact alerts due at `now`, except for the held numbers.
    @discardableResult
    func raiseDueAlerts(now: Int64, headID: String?, heldBack: [String: Int64]) throws -> Int

    // Judging again
    /// From now on this store's calls are `name`'s (SPEC §10), and so is its PBX's silence.
    func registerOffice(_ name: String, now: Int64) throws
    func recordedCalls(from start: Int64) throws -> [Call]
    func hasCallAfter(number: String, start: Int64) throws -> Bool
    func recordedCall(joining legs: [CallLeg], maxHoldSeconds: Int64) throws -> String?
    func updateDetails(of call: Call) throws
    func setAsideCall(_ callID: String) throws
    func setAsideHistory(of number: String, from: Int64) throws -> NumberHistory
    func reapply(_ close: ManualClose, number: String, headID: String?) throws
    func finishRejudging() throws

    // Hook deliveries
    @discardableResult
    func enqueueHookDeliveries(now: Int64, maxAge: Int64) throws -> Int
    func claimHookDeliveries(now: Int64, limit: Int) throws -> [HookJob]
    func finishHookDelivery(alertID: Int64, delivered: Bool, error: String?, retryAt: Int64?, now: Int64) throws

    // Source health
    func recordSourceProgress(name: String, kind: SourceKind, rows: Int, rejected: Int, lastRowAt: Int64?,
                              pendingBytes: Int64, now: Int64) throws
    func recordSourceState(name: String, kind: SourceKind, state: SourceState, error: String?, now: Int64) throws

    /// Fails when the store was deleted or replaced since it was opened.
    func checkStillInPlace() throws
    /// The daemon's sweep ran at `now`.
    func recordDaemonHeartbeat(now: Int64) throws

    // Keeping data no longer than `[store] keep_days`
    func purge(before cutoff: Int64, limit: Int) throws -> Int
    func lastPurge() throws -> Int64?
    func recordPurge(at now: Int64) throws

    // A silent PBX (SPEC §8.5)
    func noteCDRArrival(now: Int64, resolvingSilence open: Bool) throws
    func lastCDRArrival() throws -> Int64?
    func hasOpenSilenceAlert() throws -> Bool
    @discardableResult
    func raiseSilenceAlert(at: Int64, since lastArrival: Int64, headID: String?) throws -> Bool

    // Call requests, sent by the daemon alone (SPEC §9.1)
    func claimQueuedCallRequests(now: Int64, staleAfter: Int64) throws -> [CallRequest]
    func finishCallRequest(_ id: Int64, connected: Bool, reason: String?, now: Int64) throws
    func failSentCallRequests(olderThanTimeoutPlus grace: Int64?, reason: String, now: Int64) throws
    func recordDialEnd(ofCallRequest id: Int64, status: String, now: Int64) throws
    /// The request whose channel id `channelID` is, or nil: no request of ours made the call.
    func originatedRequest(ofChannel channelID: String) throws -> OriginatedCall.Request?
}

/// Tells which rows are stored, used by one thread at a time beside the store's own.
public protocol StoredLegLookup: AnyObject, Sendable {
    /// For each identity, in order, whether a leg with it is stored.
    func areStored(_ identities: [RowIdentity]) -> [Bool]
}
