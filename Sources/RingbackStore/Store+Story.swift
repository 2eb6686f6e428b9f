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

    /// The alerts of callback `id` as of `at`, in the order they were raised.
    public func alerts(ofCallback id: Int64, at: Int64) throws -> [AlertRecord] {
        try connection.prepare("""
            SELECT alert_id, kind, raised_at, manager_id, client_id, number, call_id, callback_id, acknowledged_at,
                resolved_at, resolution
            FROM alerts INDEXED BY alerts_callback WHERE callback_id = ?1 AND raised_at <= ?2 ORDER BY raised_at, alert_id
            """).rows([.integer(id), .integer(at)]) { try Self.alert($0, at: at) }
    }

    /// The CRM's newest `limit` contacts of a client (by the client, or by `number`), newest first.
    public func contacts(ofClient clientID: String?, number: String, limit: Int) throws -> [Contact] {
        try connection.prepare("""
            SELECT contact_id, created_at, manager_id, client_id, phone, kind, note FROM (
                SELECT * FROM contacts INDEXED BY contacts_client WHERE client_id = ?1
                UNION
                SELECT * FROM contacts INDEXED BY contacts_phone WHERE phone = ?2) AS found
            ORDER BY created_at DESC, contact_id LIMIT ?3
            """).rows([SQLValue(clientID), .text(number), .integer(Int64(limit))]) { row in
                Contact(id: row.string(0), createdAt: row.int(1), managerID: row.optionalString(2), clientID: row.optionalString(3),
                        phone: row.optionalString(4), kind: row.optionalString(5) ?? "", note: row.optionalString(6) ?? "")
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

/// What the desk's search found for a number (SPEC §8.3).
public struct NumberSearch: Sendable {
    public struct FoundCallback: Sendable {
        public var callbackID: Int64
        public var state: CallbackState
        public var managerID: String?
        public var firstMissedAt: Int64
    }

    public struct FoundCall: Sendable {
        public var call: Call
        public var managerID: String?
        /// The owner of the call's callback, nil when it has none or it is unassigned.
        public var callbackOwner: String?
        public var hasCallback: Bool
    }

    public var callbacks: [FoundCallback]
    public var calls: [FoundCall]
}

extension Store {
    /// The number's open callback and those of its calls since `since` (newest 50), and
    /// those calls (newest 100). No index by number: on calls or all callbacks one costs
    /// the backfill 12 % or more (measured), for a search a person makes now and then.
    public func search(number: String, since: Int64) throws -> NumberSearch {
        let callbacks = try connection.prepare("""
            SELECT callback_id, state, manager_id, first_missed_at FROM callbacks WHERE callback_id IN (
                SELECT callback_id FROM callbacks INDEXED BY callbacks_open_number WHERE number = ?1 AND state = 'open'
                UNION
                SELECT callback_id FROM calls INDEXED BY calls_started
                WHERE started_at >= ?2 AND number = ?1 AND callback_id IS NOT NULL)
            ORDER BY first_missed_at DESC LIMIT 50
            """).rows([.text(number), .integer(since)]) { row in
                NumberSearch.FoundCallback(callbackID: row.int(0), state: try row.word(1), managerID: row.optionalString(2),
                                           firstMissedAt: row.int(3))
            }
        let calls = try connection.prepare("""
            SELECT c.call_id, c.started_at, c.ended_at, c.direction, c.number, c.raw_number, c.answered, c.extension, c.rang,
                c.voicemail, c.talk_seconds, c.leg_count, c.credited_manager, c.manager_id, cb.manager_id, c.callback_id IS NOT NULL
            FROM calls c INDEXED BY calls_started LEFT JOIN callbacks cb ON cb.callback_id = c.callback_id
            WHERE c.started_at >= ? AND c.number = ? ORDER BY c.started_at DESC LIMIT 100
            """).rows([.integer(since), .text(number)]) { row in
                NumberSearch.FoundCall(call: Self.call(row), managerID: row.optionalString(13), callbackOwner: row.optionalString(14),
                                       hasCallback: row.int(15) != 0)
            }
        return NumberSearch(callbacks: callbacks, calls: calls)
    }
}
