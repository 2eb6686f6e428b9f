/// A leg waiting for its call to be complete, with the store's id for it.
public struct PendingLeg: Sendable {
    public var id: Int64
    public var leg: CallLeg
    /// When the leg reached Ringback (wall seconds): `max_hold` counts from it too, so a
    /// call on a quiet PBX is not held past `max_hold`, across restarts as well.
    public var receivedAt: Int64
    public init(id: Int64, leg: CallLeg, receivedAt: Int64 = 0) {
        self.id = id
        self.leg = leg
        self.receivedAt = receivedAt
    }
}

/// The legs of one call, ready to classify.
public struct AssembledCall: Sendable {
    public var callID: String
    public var legs: [PendingLeg]
    /// Judged without the row of the channel that started it: `max_hold` ran out (or the
    /// input ended). If that row comes later, the call is judged again.
    public var incomplete: Bool
}

/// Timing of call assembly (`[calls]`).
public struct AssemblyTiming: Sendable, Equatable {
    /// How long the call whose rows end the data read so far waits for more (monotonic ms).
    public var settleMilliseconds: Int64
    /// Rows without linkedid or uniqueid: same caller within this many seconds is one call.
    public var mergeWindowSeconds: Int64
    /// How long a call waits for its starting channel's row, from the call's start in the
    /// data and from the arrival of its first row on the wall clock (seconds).
    public var maxHoldSeconds: Int64
    /// After the starting row, how long an answered `Local/…;1` waits for the row of its
    /// `;2` half, which says who answered: the `;2` half writes its row when it hangs up,
    /// usually just after the caller's (monotonic ms, or that far in the data).
    public var halfWaitMilliseconds: Int64

    public init(settleMilliseconds: Int = 100, mergeWindowSeconds: Int = 5, maxHoldMinutes: Int = 240,
                halfWaitSeconds: Int = 60) {
        self.settleMilliseconds = Int64(settleMilliseconds)
        self.mergeWindowSeconds = Int64(mergeWindowSeconds)
        maxHoldSeconds = Int64(maxHoldMinutes) * 60
        halfWaitMilliseconds = Int64(halfWaitSeconds) * 1000
    }
}

/// Groups legs into calls as they arrive (SPEC §3): by linkedid, else uniqueid, else the
/// same caller within `mergeWindow` seconds.
///
/// Asterisk does not write a call's rows together: each half of a `Local/` channel (queue
/// members, ring groups, follow-me) writes its row when that half hangs up, often before
/// the caller's own row. So a call is complete only once the row of the channel that
/// started it is in — with linkedid the row whose uniqueid is the linkedid, without it a
/// row whose channel is not a `Local/` half — and every answered `Local/…;1` it dialled
/// has its `;2` row (the one naming who answered), or `halfWait` has passed. A call still
/// incomplete after `max_hold` is handed out as it stands, marked `incomplete`.
///
/// Without linkedid (Asterisk's stock 18 columns) the two halves of a `Local/` channel carry
/// different uniqueids; they are joined through the channel name they share
/// (`Local/101@from-queue-00000003;1` in the caller leg's dstchannel, `…;2` in the agent
/// leg's channel) — but only while their times overlap, since Asterisk's channel counter
/// starts again at every restart and the same name comes back for another call.
///
/// Time is passed in by the caller: a monotonic millisecond count for settling, the wall
/// clock in seconds for `max_hold`. The assembler reads no clock.
public struct CallAssembler: Sendable {
    private struct Group: Sendable {
        var callID: String
        var legs: [PendingLeg] = []
        var lastArrival: Int64 = 0
        var firstReceived: Int64 = .max
        var firstStart: Int64 = .max
        var lastStart: Int64 = .min
        var lastEnd: Int64 = .min
        var hasStartingRow = false
        /// Monotonic ms when the starting row arrived.
        var startingArrival: Int64?
        /// Bases of answered `Local/…;1` legs and of `;2` rows seen.
        var answeredHalves: Set<String> = []
        var secondHalves: Set<String> = []
        /// The store holds a recorded call these rows belong to (they arrived after it was judged).
        var joinsRecordedCall = false
        /// Checked once against the store for a recorded call to join.
        var checkedForRecordedCall = false

        init(callID: String) { self.callID = callID }

        mutating func add(_ pending: PendingLeg, arrival: Int64) {
            let leg = pending.leg
            legs.append(pending)
            lastArrival = max(lastArrival, arrival)
            firstReceived = min(firstReceived, pending.receivedAt)
            firstStart = min(firstStart, leg.start)
            lastStart = max(lastStart, leg.start)
            lastEnd = max(lastEnd, leg.end)
            if CallAssembler.isStartingRow(leg), !hasStartingRow {
                hasStartingRow = true
                startingArrival = arrival
            }
            if leg.disposition == .answered, let base = LocalHalf(leg.destinationChannel, half: 1) {
                answeredHalves.insert(base.name)
            }
            if let base = LocalHalf(leg.channel, half: 2) { secondHalves.insert(base.name) }
        }

        mutating func absorb(_ other: Group) {
            for pending in other.legs { add(pending, arrival: other.lastArrival) }
            if other.hasStartingRow, let arrival = other.startingArrival {
                startingArrival = min(startingArrival ?? arrival, arrival)
            }
            joinsRecordedCall = joinsRecordedCall || other.joinsRecordedCall
        }

        var waitsForAnsweringHalf: Bool { !answeredHalves.isSubset(of: secondHalves) }
    }

    /// One half of a `Local/` channel seen without linkedid, for pairing by name and time.
    private struct HalfSighting: Sendable {
        var key: String
        var half: Int
        var start: Int64
        var end: Int64
    }

    public let timing: AssemblyTiming
    private var keyed: [String: Group] = [:]
    /// Keyless groups by caller number.
    private var keyless: [String: Group] = [:]
    private var completedKeyless: [Group] = []
    /// `Local/` channel base → the halves seen without linkedid, in held groups.
    private var sightings: [String: [HalfSighting]] = [:]
    /// Keys merged into another group → that group's key.
    private var alias: [String: String] = [:]
    private var tailKey: String?
    /// How far the data reaches: the latest start and end read (seconds).
    public private(set) var latestStart: Int64 = .min
    private var latestEnd: Int64 = .min

    /// `office:` for a named office (SPEC §10): two PBXs number their calls alike, and a
    /// call id is unique across the store.
    public let callIDPrefix: String

    public init(timing: AssemblyTiming, office: String = "") {
        self.timing = timing
        callIDPrefix = office.isEmpty ? "" : office + ":"
    }

    public var isEmpty: Bool { keyed.isEmpty && keyless.isEmpty && completedKeyless.isEmpty }

    /// Some held call may complete by time alone soon: it settles, waits for an answering
    /// `Local/` half, or is keyless. A call waiting for its starting row completes only by a
    /// new row or by `max_hold`.
    public var hasSettlingCalls: Bool {
        !keyless.isEmpty || !completedKeyless.isEmpty || keyed.values.contains { $0.hasStartingRow || $0.joinsRecordedCall }
    }

    /// The row of the channel that started its call (SPEC §3). With linkedid, the linkedid
    /// is the uniqueid of the call's oldest channel, so its row is the starting one.
    public static func isStartingRow(_ leg: CallLeg) -> Bool {
        if let linked = leg.linkedID, !linked.isEmpty { return leg.uniqueID == linked }
        guard let channel = ChannelName(leg.channel) else { return false }
        return !channel.isLocal
    }

    /// The data read before (after a restart: the latest start stored), for `max_hold`.
    public mutating func observe(dataReachingTo start: Int64) {
        latestStart = max(latestStart, start)
        latestEnd = max(latestEnd, start)
    }

    /// Each party (the raw `src` and `dst`) of a held leg → the earliest start of a held
    /// call it takes part in: that party's time-based alerts wait for those calls.
    public func heldParties() -> [String: Int64] {
        var parties: [String: Int64] = [:]
        for group in Array(keyed.values) + Array(keyless.values) + completedKeyless {
            for pending in group.legs {
                for party in [pending.leg.source, pending.leg.destination] where !party.isEmpty {
                    parties[party] = min(parties[party] ?? .max, group.firstStart)
                }
            }
        }
        return parties
    }

    public mutating func add(_ pending: PendingLeg, now: Int64) {
        let leg = pending.leg
        latestStart = max(latestStart, leg.start)
        latestEnd = max(latestEnd, leg.end)
        guard let rawKey = leg.callKey else {
            addKeyless(pending, now: now)
            return
        }
        var key = canonical(rawKey)
        keyed[key, default: Group(callID: callIDPrefix + key)].add(pending, arrival: now)
        if leg.linkedID == nil || leg.linkedID!.isEmpty {
            if let half = LocalHalf(leg.channel, half: 2) { key = pair(half, leg: leg, key: key) }
            if let half = LocalHalf(leg.destinationChannel, half: 1) { key = pair(half, leg: leg, key: key) }
        }
        tailKey = key
    }

    /// Records a sighting of one half and joins the group `key` with a held group holding the
    /// other half at an overlapping time; returns the key of the joined group.
    private mutating func pair(_ half: LocalHalf, leg: CallLeg, key: String) -> String {
        var list = sightings[half.name] ?? []
        list.removeAll { keyed[canonical($0.key)] == nil }
        // CDR times are whole seconds, and a `;2` half may start a second after its `;1`
        // was dialled or end a second after it.
        let partner = list.first { other in
            other.half != half.half && other.start <= leg.end + 2 && leg.start <= other.end + 2
        }
        list.append(HalfSighting(key: key, half: half.half, start: leg.start, end: leg.end))
        sightings[half.name] = list
        guard let partner else { return key }
        let otherKey = canonical(partner.key)
        guard otherKey != key, let other = keyed[otherKey], let group = keyed[key] else { return key }
        // The group holding the caller's channel names the call; else the one that started first.
        let keepOther = other.hasStartingRow != group.hasStartingRow
            ? other.hasStartingRow : (other.firstStart, otherKey) < (group.firstStart, key)
        let (keep, drop) = keepOther ? (otherKey, key) : (key, otherKey)
        var merged = keyed[keep]!
        merged.absorb(keyed[drop]!)
        keyed[keep] = merged
        keyed[drop] = nil
        alias[drop] = keep
        return keep
    }

    private func canonical(_ key: String) -> String {
        var current = key
        while let next = alias[current] { current = next }
        return current
    }

    private mutating func addKeyless(_ pending: PendingLeg, now: Int64) {
        tailKey = nil
        let caller = pending.leg.source
        if keyless[caller] != nil, pending.leg.start - keyless[caller]!.firstStart <= timing.mergeWindowSeconds {
            keyless[caller]!.add(pending, arrival: now)
            return
        }
        // A new window for this caller: the previous one, if any, is complete.
        let finished = keyless[caller]
        var group = Group(callID: "\(callIDPrefix)m-\(pending.leg.digest)")
        group.add(pending, arrival: now)
        keyless[caller] = group
        if let finished { completedKeyless.append(finished) }
    }

    /// Keys of held groups not yet checked against the store for a recorded call to join.
    public mutating func uncheckedHeldCalls() -> [(key: String, legs: [CallLeg])] {
        var unchecked: [(String, [CallLeg])] = []
        for (key, group) in keyed where !group.checkedForRecordedCall && !group.hasStartingRow {
            keyed[key]!.checkedForRecordedCall = true
            unchecked.append((key, group.legs.map(\.leg)))
        }
        return unchecked
    }

    /// The rows held as `key` belong to the recorded call `callID`: they are complete at once.
    public mutating func join(_ key: String, toRecordedCall callID: String) {
        guard var group = keyed[key] else { return }
        group.callID = callID
        group.joinsRecordedCall = true
        keyed[key] = group
    }

    /// Calls that are complete at `now` (monotonic ms; `wallNow` in seconds for `max_hold`),
    /// in order of their start time. With `holdTail`, the call that ends the data read so far
    /// is held however long it waited: its source has more bytes to read.
    public mutating func takeComplete(now: Int64, wallNow: Int64, holdTail: Bool = false) -> [AssembledCall] {
        var done: [(Group, Bool)] = completedKeyless.map { ($0, false) }
        completedKeyless.removeAll()
        let window = timing.mergeWindowSeconds
        func windowPassed(_ group: Group) -> Bool {
            now - group.lastArrival >= window * 1000 || latestStart - group.lastStart > window
        }
        for (key, group) in keyed {
            if expired(group, wallNow: wallNow) {
                done.append((group, !group.hasStartingRow && !group.joinsRecordedCall))
            } else {
                let settled = key != tailKey || (!holdTail && now - group.lastArrival >= timing.settleMilliseconds)
                guard settled, group.joinsRecordedCall || (group.hasStartingRow && !waitsForAnsweringHalf(group, now: now))
                else { continue }
                done.append((group, false))
            }
            keyed[key] = nil
        }
        for (caller, group) in keyless where windowPassed(group) {
            done.append((group, false))
            keyless[caller] = nil
        }
        if !done.isEmpty { forget() }
        return Self.ordered(done)
    }

    private func waitsForAnsweringHalf(_ group: Group, now: Int64) -> Bool {
        guard group.waitsForAnsweringHalf else { return false }
        let waited = now - (group.startingArrival ?? now)
        return waited < timing.halfWaitMilliseconds && (latestEnd - group.lastEnd) * 1000 <= timing.halfWaitMilliseconds
    }

    private func expired(_ group: Group, wallNow: Int64) -> Bool {
        latestStart - group.firstStart >= timing.maxHoldSeconds
            || (group.firstReceived != .max && wallNow - group.firstReceived >= timing.maxHoldSeconds)
    }

    /// Every call held, complete or not: the input has ended.
    public mutating func takeAll() -> [AssembledCall] {
        let done = completedKeyless.map { ($0, false) } + keyed.values.map { ($0, !$0.hasStartingRow && !$0.joinsRecordedCall) }
            + keyless.values.map { ($0, false) }
        completedKeyless.removeAll()
        keyed.removeAll()
        keyless.removeAll()
        sightings.removeAll()
        alias.removeAll()
        tailKey = nil
        return Self.ordered(done)
    }

    /// Drops the bookkeeping of completed groups so it does not grow with the input.
    private mutating func forget() {
        guard !(sightings.isEmpty && alias.isEmpty) else { return }
        alias = alias.filter { keyed[canonical($0.value)] != nil }
        for (name, list) in sightings {
            let kept = list.filter { keyed[canonical($0.key)] != nil }
            sightings[name] = kept.isEmpty ? nil : kept
        }
    }

    /// In order of their start; groups that turned out to be one recorded call (rows that
    /// joined it by key and by their `Local/` half) come out as one.
    private static func ordered(_ groups: [(Group, Bool)]) -> [AssembledCall] {
        var calls: [(start: Int64, call: AssembledCall)] = groups.map {
            ($0.0.firstStart, AssembledCall(callID: $0.0.callID, legs: $0.0.legs, incomplete: $0.1))
        }
        calls.sort { ($0.call.callID, $0.start) < ($1.call.callID, $1.start) }
        var merged: [(start: Int64, call: AssembledCall)] = []
        merged.reserveCapacity(calls.count)
        for entry in calls {
            if merged.last?.call.callID == entry.call.callID {
                merged[merged.count - 1].call.legs += entry.call.legs
                merged[merged.count - 1].call.incomplete = merged[merged.count - 1].call.incomplete && entry.call.incomplete
            } else {
                merged.append(entry)
            }
        }
        merged.sort { ($0.start, $0.call.callID) < ($1.start, $1.call.callID) }
        return merged.map(\.call)
    }
}

/// One half of a `Local/` channel: `Local/101@from-queue-0000000a;2` → name
/// `Local/101@from-queue-0000000a`, half 2.
struct LocalHalf {
    var name: String
    var half: Int

    init?(_ channel: String, half: Int) {
        guard channel.utf8.count > 8, channel.hasPrefix("Local/"), channel.hasSuffix(";\(half)") else { return nil }
        name = String(channel.dropLast(2))
        self.half = half
    }
}
