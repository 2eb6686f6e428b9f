import RingbackCore

/// A manual close (`ringback resolve`) to apply again among a number's calls.
public struct ManualClose: Sendable, Equatable {
    public var at: Int64
    public var by: String?
    public var reason: String?
}

/// A number's history, taken apart to be judged again: its calls to replay in order of
/// their start, and the manual closes to apply between them.
public struct NumberHistory: Sendable {
    public var calls: [Call]
    public var closes: [ManualClose]
    public init(calls: [Call], closes: [ManualClose]) {
        self.calls = calls
        self.closes = closes
    }
}

/// Judging a number's calls again (SPEC §3: a starting row after `max_hold`, rows in
/// another order than the calls started; §6 `ringback rejudge`).
///
/// The callbacks and alerts of the number are not deleted but set aside (`rejudging`), so
/// that the replay revives each one it raises again under its old id: a hook or webhook
/// that had an alert does not get it twice, an acknowledgement stays, and a callback keeps
/// the id a manager knows. `finishRejudging` then deletes what the replay did not revive.
extension Store {
    /// The recorded call `callID`, as the rules saw it.
    public func recordedCall(_ callID: String) throws -> Call? {
        try connection.prepare("""
            SELECT call_id, started_at, ended_at, direction, number, raw_number, answered, extension, rang, voicemail,
                talk_seconds, leg_count, credited_manager, office FROM calls WHERE call_id = ?
            """).first([.text(callID)], Self.judgedCall)
    }

    static func call(_ row: Row) -> Call {
        Call(callID: row.string(0), startedAt: row.int(1), endedAt: row.int(2),
             direction: CallDirection(rawValue: row.string(3)) ?? .internal, number: row.optionalString(4),
             rawNumber: row.string(5), answered: row.int(6) != 0, extensionNumber: row.optionalString(7),
             rangExtensions: row.string(8).split(separator: ";").map(String.init), voicemail: row.int(9) != 0,
             talkSeconds: Int(row.int(10)), legCount: Int(row.int(11)), creditedManagerID: row.optionalString(12))
    }

    /// A call as the rules saw it, with its office (column 13).
    static func judgedCall(_ row: Row) -> Call {
        var call = Self.call(row)
        call.office = row.string(13)
        return call
    }

    /// The calls recorded from `start` on, in order of their start.
    public func recordedCalls(from start: Int64) throws -> [Call] {
        try connection.prepare("""
            SELECT call_id, started_at, ended_at, direction, number, raw_number, answered, extension, rang, voicemail,
                talk_seconds, leg_count, credited_manager, office FROM calls INDEXED BY calls_started
            WHERE started_at >= ? ORDER BY started_at, call_id
            """).rows([.integer(start)], Self.judgedCall)
    }

    /// The stored legs of a recorded call (they all start within the call's span).
    public func legs(of call: Call) throws -> [CallLeg] {
        try connection.prepare("""
            SELECT leg_id, accountcode, src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata, start, answer,
                "end", duration, billsec, disposition, amaflags, uniqueid, userfield, peeraccount, linkedid, sequence, received_at
            FROM legs WHERE start BETWEEN ? AND ? AND call_id = ?
            """).rows([.integer(call.startedAt), .integer(call.endedAt), .text(call.callID)], Self.pendingLeg).map(\.leg)
    }

    /// Whether a call of `number` that started after `start` is recorded: a call judged now
    /// must then be judged before it, so the number's calls are judged again.
    public func hasCallAfter(number: String, start: Int64) throws -> Bool {
        try connection.prepare("SELECT 1 FROM calls INDEXED BY calls_started WHERE started_at > ? AND number = ? LIMIT 1")
            .first([.integer(start), .text(number)]) { _ in true } ?? false
    }

    /// The recorded call that held rows belong to, when they arrived after it was judged:
    /// the call of their key, or (without linkedid) the call whose leg dialled the `Local/…;1`
    /// half of which a held row is the `;2`, at an overlapping time.
    public func recordedCall(joining legs: [CallLeg], maxHoldSeconds: Int64) throws -> String? {
        for leg in legs {
            if let key = leg.callKey.map({ officePrefix + $0 }),
               try connection.prepare("SELECT 1 FROM calls WHERE call_id = ?").first([.text(key)], { _ in true }) == true {
                return key
            }
            guard leg.linkedID?.isEmpty ?? true, leg.channel.hasPrefix("Local/"), leg.channel.hasSuffix(";2") else { continue }
            let partner = String(leg.channel.dropLast()) + "1"
            if let callID = try connection.prepare("""
                SELECT l.call_id FROM legs l JOIN calls c ON c.call_id = l.call_id
                WHERE l.start BETWEEN ? AND ? AND l.dstchannel = ? AND l."end" + 2 >= ? AND c.office = ? LIMIT 1
                """).first([.integer(leg.start - maxHoldSeconds), .integer(leg.end + 2), .text(partner), .integer(leg.start),
                            .text(office)],
                           { $0.string(0) }) {
                return callID
            }
        }
        return nil
    }

    /// A recorded call's details that the rules do not read: the extensions that rang, its rows.
    public func updateDetails(of call: Call) throws {
        try connection.prepare("UPDATE calls SET rang = ?, leg_count = ? WHERE call_id = ?")
            .run([.text(call.rangExtensions.joined(separator: ";")), .integer(Int64(call.legCount)), .text(call.callID)])
    }

    /// Takes a recorded call out, with its `no_contact` alert set aside, so that it is
    /// recorded again as judged anew.
    public func setAsideCall(_ callID: String) throws {
        try connection.prepare("""
            UPDATE alerts SET resolution = 'rejudging', resolved_at = 0 WHERE kind = 'no_contact' AND call_id = ?
            """).run([.text(callID)])
        try connection.prepare("DELETE FROM contact_checks WHERE call_id = ?").run([.text(callID)])
        try connection.prepare("DELETE FROM calls WHERE call_id = ?").run([.text(callID)])
    }

    /// Sets aside what the rules made of `number`'s calls from `from` on and returns those
    /// calls. The cut moves back to the first miss of a callback still open at `from` (or
    /// resolved after it), so the replay starts from a moment when the number had no open
    /// callback; a number's callbacks never overlap in time, so one step back suffices.
    public func setAsideHistory(of number: String, from: Int64) throws -> NumberHistory {
        let straddling = try connection.prepare("""
            SELECT min(first_missed_at) FROM callbacks WHERE number = ? AND first_missed_at < ?
                AND (state = 'open' OR resolved_at >= ?)
            """).first([.text(number), .integer(from), .integer(from)]) { $0.optionalInt(0) } ?? nil
        let cut = min(from, straddling ?? from)
        let closes = try connection.prepare("""
            SELECT resolved_at, resolved_by, reason FROM callbacks
            WHERE number = ? AND first_missed_at >= ? AND state = 'closed' AND resolution_call_id IS NULL
            """).rows([.text(number), .integer(cut)]) { ManualClose(at: $0.int(0), by: $0.optionalString(1), reason: $0.optionalString(2)) }
        try connection.prepare("UPDATE callbacks SET state = 'rejudging' WHERE number = ? AND first_missed_at >= ? AND state != 'rejudging'")
            .run([.text(number), .integer(cut)])
        try connection.prepare("""
            DELETE FROM callback_calls WHERE callback_id IN
                (SELECT callback_id FROM callbacks WHERE number = ? AND state = 'rejudging')
            """).run([.text(number)])
        try connection.prepare("""
            UPDATE callbacks SET missed_count = 0, attempt_count = 0, last_missed_at = NULL, linked_until = 0
            WHERE number = ? AND state = 'rejudging'
            """).run([.text(number)])
        try connection.prepare("""
            UPDATE alerts SET resolution = 'rejudging', resolved_at = 0 WHERE callback_id IN
                (SELECT callback_id FROM callbacks WHERE number = ? AND state = 'rejudging')
            """).run([.text(number)])
        let calls = try connection.prepare("""
            SELECT call_id, started_at, ended_at, direction, number, raw_number, answered, extension, rang, voicemail,
                talk_seconds, leg_count, credited_manager, office FROM calls INDEXED BY calls_started
            WHERE started_at >= ? AND number = ? ORDER BY started_at, call_id
            """).rows([.integer(cut), .text(number)], Self.judgedCall)
        for call in calls { try setAsideCall(call.callID) }
        return NumberHistory(calls: calls, closes: closes)
    }

    /// Applies a manual close again to the number's open callback, if it has one.
    public func reapply(_ close: ManualClose, number: String, headID: String?) throws {
        guard let open = try openCallback(number: number), open.firstMissedAt <= close.at else { return }
        try resolveCallback(open.id, resolution: .closed, at: close.at, by: close.by, callID: nil, reason: close.reason,
                            late: close.at > open.dueAt, dueAt: open.dueAt, headID: headID)
    }

    /// Deletes the callbacks and alerts set aside that the replay did not raise again.
    public func finishRejudging() throws {
        try connection.prepare("""
            DELETE FROM hook_deliveries WHERE alert_id IN (SELECT alert_id FROM alerts WHERE resolution = 'rejudging')
            """).run()
        try connection.prepare("DELETE FROM alerts WHERE resolution = 'rejudging'").run()
        try connection.prepare("DELETE FROM callbacks WHERE state = 'rejudging'").run()
    }
}
