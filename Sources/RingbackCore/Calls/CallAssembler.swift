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
/// Without linkedid (Asterisk's stock `cdr.conf` writes 18 columns) the two halves of a
/// `Local/` channel carry different uniqueids; they are joined through the channel name
/// they share (`Local/101@from-queue-00000003;1` in the caller leg's dstchannel,
/// `…;2` in the agent leg's channel), so a queue or ring group stays one call.
///
/// Asterisk writes all rows of a call together when it ends, so a keyed call is complete
/// once a row of another call follows it; the call whose rows end the data read so far is
/// held `settle` milliseconds, and a call still waiting for the other half of a `Local/`
/// channel up to `mergeWindow` seconds. Keyless rows are held `mergeWindow` seconds. Time
/// here is a monotonic millisecond count passed in by the caller; the assembler reads no
/// clock.
public struct CallAssembler: Sendable {
    private struct Group: Sendable {
        var callID: String
        var legs: [PendingLeg]
        var lastArrival: Int64
        var firstStart: Int64
        var lastStart: Int64
        /// `Local/` channel bases seen on one side only so far.
        var unpairedLocal: Set<String> = []
        var pairedLocal: Set<String> = []

        mutating func absorb(_ other: Group) {
            legs += other.legs
            lastArrival = max(lastArrival, other.lastArrival)
            firstStart = min(firstStart, other.firstStart)
            lastStart = max(lastStart, other.lastStart)
            for base in other.unpairedLocal { notice(base) }
            pairedLocal.formUnion(other.pairedLocal)
        }

        mutating func notice(_ base: String) {
            if pairedLocal.contains(base) { return }
            if unpairedLocal.remove(base) != nil { pairedLocal.insert(base) } else { unpairedLocal.insert(base) }
        }
    }

    public let settleMilliseconds: Int64
    public let mergeWindowSeconds: Int64
    private var keyed: [String: Group] = [:]
    /// Keyless groups by caller number.
    private var keyless: [String: Group] = [:]
    private var completedKeyless: [Group] = []
    /// A `Local/` channel base → the key of the group that holds one of its halves.
    private var localOwner: [String: String] = [:]
    /// Keys merged into another group → that group's key.
    private var alias: [String: String] = [:]
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
        let leg = pending.leg
        latestStart = max(latestStart, leg.start)
        guard let rawKey = leg.callKey else {
            addKeyless(pending, now: now)
            return
        }
        var key = canonical(rawKey)
        if keyed[key] != nil {
            keyed[key]!.legs.append(pending)
            keyed[key]!.lastArrival = now
            keyed[key]!.firstStart = min(keyed[key]!.firstStart, leg.start)
            keyed[key]!.lastStart = max(keyed[key]!.lastStart, leg.start)
        } else {
            keyed[key] = Group(callID: key, legs: [pending], lastArrival: now, firstStart: leg.start, lastStart: leg.start)
        }
        if leg.linkedID == nil || leg.linkedID!.isEmpty {
            for base in Self.localBases(of: leg) { key = link(base, to: key) }
        }
        tailKey = key
    }

    /// Joins the group `key` with the group that holds the other half of `base`; returns the
    /// key of the joined group.
    private mutating func link(_ base: String, to key: String) -> String {
        keyed[key]?.notice(base)
        guard let ownerKey = localOwner[base].map(canonical), ownerKey != key, var owner = keyed[ownerKey],
              let group = keyed[key] else {
            localOwner[base] = key
            return key
        }
        // The group that started first gives the call its id (the caller's channel).
        let (keep, drop) = owner.firstStart <= group.firstStart ? (ownerKey, key) : (key, ownerKey)
        if keep == ownerKey {
            owner.absorb(group)
            keyed[ownerKey] = owner
        } else {
            var merged = group
            merged.absorb(owner)
            keyed[key] = merged
        }
        keyed[drop] = nil
        alias[drop] = keep
        localOwner[base] = keep
        return keep
    }

    private func canonical(_ key: String) -> String {
        var current = key
        while let next = alias[current] { current = next }
        return current
    }

    /// `Local/…-0000000a` for a leg whose channel is `Local/…;2` or whose dstchannel is `Local/…;1`.
    static func localBases(of leg: CallLeg) -> [String] {
        var bases: [String] = []
        if leg.channel.hasPrefix("Local/"), leg.channel.hasSuffix(";2") { bases.append(String(leg.channel.dropLast(2))) }
        if leg.destinationChannel.hasPrefix("Local/"), leg.destinationChannel.hasSuffix(";1") {
            bases.append(String(leg.destinationChannel.dropLast(2)))
        }
        return bases
    }

    private mutating func addKeyless(_ pending: PendingLeg, now: Int64) {
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

    /// Calls that are complete at `now`, in order of their start time. With `holdTail`, the
    /// call that ends the data read so far is held however long it waited: its source has
    /// more bytes to read, which may hold the rest of its rows.
    public mutating func takeComplete(now: Int64, holdTail: Bool = false) -> [AssembledCall] {
        var done: [Group] = completedKeyless
        completedKeyless.removeAll()
        let (window, latest) = (mergeWindowSeconds, latestStart)
        func windowPassed(_ group: Group) -> Bool {
            now - group.lastArrival >= window * 1000 || latest - group.lastStart > window
        }
        for (key, group) in keyed {
            let settled = key != tailKey || (!holdTail && now - group.lastArrival >= settleMilliseconds)
            guard settled, group.unpairedLocal.isEmpty || windowPassed(group) else { continue }
            done.append(group)
            keyed[key] = nil
        }
        for (caller, group) in keyless where windowPassed(group) {
            done.append(group)
            keyless[caller] = nil
        }
        forget(done)
        return Self.ordered(done)
    }

    /// Every call held, complete or not: the input has ended.
    public mutating func takeAll() -> [AssembledCall] {
        let done = completedKeyless + Array(keyed.values) + Array(keyless.values)
        completedKeyless.removeAll()
        keyed.removeAll()
        keyless.removeAll()
        localOwner.removeAll()
        alias.removeAll()
        tailKey = nil
        return Self.ordered(done)
    }

    /// Drops the bookkeeping of completed groups so it does not grow with the input.
    private mutating func forget(_ groups: [Group]) {
        guard !groups.isEmpty, !(localOwner.isEmpty && alias.isEmpty) else { return }
        let gone = Set(groups.map(\.callID))
        localOwner = localOwner.filter { !gone.contains(canonical($0.value)) }
        alias = alias.filter { !gone.contains(canonical($0.value)) }
    }

    private static func ordered(_ groups: [Group]) -> [AssembledCall] {
        groups.sorted { ($0.firstStart, $0.callID) < ($1.firstStart, $1.callID) }
            .map { AssembledCall(callID: $0.callID, legs: $0.legs) }
    }
}
