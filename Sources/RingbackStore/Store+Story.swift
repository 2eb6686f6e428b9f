import RingbackCore

/// One call in a callback's story: what it was to the callback, and who rang as the PBX
/// wrote it (the caller-ID of its first row: the caller's choice, hostile on a page).
public struct StoryCall: Sendable {
    public var call: Call
    /// `missed`, `attempt` or `resolution`.
    public var role: String
    public var callerID: String?
}

extension Store {
    /// The calls of callback `id`, in order, with their part in it (SPEC §8.3).
    public func story(ofCallback id: Int64) throws -> [StoryCall] {
        try connection.prepare("""
            SELECT c.call_id, c.started_at, c.ended_at, c.direction, c.number, c.raw_number, c.answered, c.extension, c.rang,
                c.voicemail, c.talk_seconds, c.leg_count, c.credited_manager, x.role,
                (SELECT l.clid FROM legs l WHERE l.start BETWEEN c.started_at AND c.ended_at AND l.call_id = c.call_id
                 ORDER BY l.start, l.leg_id LIMIT 1)
            FROM callback_calls x JOIN calls c ON c.call_id = x.call_id
            WHERE x.callback_id = ? ORDER BY x.at, c.call_id
            """).rows([.integer(id)]) { row in
                StoryCall(call: Self.call(row), role: row.string(13), callerID: row.optionalString(14))
            }
    }

    /// Who may see call `callID` on a page: its manager, and the owner of its callback
    /// (nil: unassigned); nil when there is no such call.
    public func callOwners(_ callID: String) throws -> (manager: String?, callbackOwner: String?, hasCallback: Bool)? {
        try connection.prepare("""
            SELECT c.manager_id, cb.manager_id, c.callback_id IS NOT NULL FROM calls c
            LEFT JOIN callbacks cb ON cb.callback_id = c.callback_id WHERE c.call_id = ?
            """).first([.text(callID)]) { ($0.optionalString(0), $0.optionalString(1), $0.int(2) != 0) }
    }
}
