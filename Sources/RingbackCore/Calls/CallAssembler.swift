/// A leg waiting for its call to be complete, with the store's id for it.
public struct PendingLeg: Sendable {
    public var id: Int64
    public var leg: CallLeg
    public init(id: Int64, leg: CallLeg) {
        self.id = id
        self.leg = leg
    }
}

/// The legs of one call, ready to classify.
public struct AssembledCall: Sendable {
    public var callID: String
    public var legs: [PendingLeg]
}

/// Groups legs into calls as they arrive (SPEC §3): by linkedid, else uniqueid, else the
/// same caller within `mergeWindow` seconds.
///
/// Asterisk writes all rows of a call together when it ends, so a keyed call is complete
/// once a row of another call follows it; the call whose rows end the data read so far is
/// held `settle` milliseconds. Keyless rows are held `mergeWindow` seconds. Time here is a
/// monotonic millisecond count passed in by the caller; the assembler reads no clock.
public struct CallAssembler: Sendable {
    private struct Group: Sendable {
        var callID: String
        var legs: [PendingLeg]
        var lastArrival: Int64
        var firstStart: Int64
        var lastStart: Int64
    }

    public let settleMilliseconds: Int64
    public let mergeWindowSeconds: Int64
    private var keyed: [String: Group] = [:]
    /// Keyless groups by caller number.
    private var keyless: [String: Group] = [:]
    private var tailKey: String?
    private var latestStart: Int64 = .min

    public init(settleMilliseconds: Int, mergeWindowSeconds: Int) {
        self.settleMilliseconds = Int64(settleMilliseconds)
        self.mergeWindowSeconds = Int64(mergeWindowSeconds)
    }

    public var isEmpty: Bool { keyed.isEmpty && keyless.isEmpty && completedKeyless.isEmpty }

    /// The earliest start of a call still held: no time-based alert may be raised past it,
    /// since that call could still resolve a callback.
    public var earliestHeldStart: Int64? {
        (keyed.values.map(\.firstStart) + keyless.values.map(\.firstStart) + completedKeyless.map(\.firstStart)).min()
    }

    public mutating func add(_ pending: PendingLeg, now: Int64) {
        latestStart = max(latestStart, pending.leg.start)
        if let key = pending.leg.callKey {
            tailKey = key
            if keyed[key] != nil {
                keyed[key]!.legs.append(pending)
                keyed[key]!.lastArrival = now
                keyed[key]!.firstStart = min(keyed[key]!.firstStart, pending.leg.start)
            } else {
                keyed[key] = Group(callID: key, legs: [pending], lastArrival: now,
                                   firstStart: pending.leg.start, lastStart: pending.leg.start)
            }
            return
        }
        tailKey = nil
        let caller = pending.leg.source
        if var group = keyless[caller], pending.leg.start - group.firstStart <= mergeWindowSeconds {
            group.legs.append(pending)
            group.lastArrival = now
            group.lastStart = max(group.lastStart, pending.leg.start)
            keyless[caller] = group
            return
        }
        // A new window for this caller: the previous one, if any, is complete.
        let finished = keyless[caller]
        keyless[caller] = Group(callID: "m-\(pending.leg.digest)", legs: [pending], lastArrival: now,
                                firstStart: pending.leg.start, lastStart: pending.leg.start)
        if let finished { completedKeyless.append(finished) }
    }

    private var completedKeyless: [Group] = []

    /// Calls that are complete at `now`, in order of their start time.
    public mutating func takeComplete(now: Int64) -> [AssembledCall] {
        var done: [Group] = completedKeyless
        completedKeyless.removeAll()
        for (key, group) in keyed where key != tailKey || now - group.lastArrival >= settleMilliseconds {
            done.append(group)
            keyed[key] = nil
        }
        for (caller, group) in keyless
        where now - group.lastArrival >= mergeWindowSeconds * 1000 || latestStart - group.lastStart > mergeWindowSeconds {
            done.append(group)
            keyless[caller] = nil
        }
        return Self.ordered(done)
    }

    /// Every call held, complete or not: the input has ended.
    public mutating func takeAll() -> [AssembledCall] {
        let done = completedKeyless + Array(keyed.values) + Array(keyless.values)
        completedKeyless.removeAll()
        keyed.removeAll()
        keyless.removeAll()
        tailKey = nil
        return Self.ordered(done)
    }

    private static func ordered(_ groups: [Group]) -> [AssembledCall] {
        groups.sorted { ($0.firstStart, $0.callID) < ($1.firstStart, $1.callID) }
            .map { AssembledCall(callID: $0.callID, legs: $0.legs) }
    }
}
