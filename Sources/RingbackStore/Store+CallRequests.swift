import RingbackCore

/// Call requests (SPEC §9.1): filed by the CLI, the API or the desk in one short
/// transaction; claimed, sent and answered by the daemon alone.
extension Store {
    /// Files a request for `callbackID`, refused while another for the same callback is
    /// queued or ringing (nobody is rung twice) and when `requestedBy` asked less than
    /// `interval` seconds ago.
    /// `office`: whose PBX rings `extensionNumber` (SPEC §10); its daemon sends the request.
    public func fileCallRequest(callbackID: Int64, requestedBy: String, managerID: String, extensionNumber: String,
                                office: String, number: String, action: OriginateAction, now: Int64,
                                interval: Int64) throws -> CallRequest {
        try transaction {
            // What a daemon without its AMI link (or not running) left behind blocks nobody:
            // queued too long, or sent and never answered, it has failed.
            try connection.prepare("""
                UPDATE call_requests SET state = 'failed', finished_at = ?1,
                    reason = CASE state WHEN 'queued' THEN 'not sent: the daemon had no AMI link to the PBX in time'
                                        ELSE 'the PBX never answered the Originate' END
                WHERE callback_id = ?2 AND ((state = 'queued' AND requested_at < ?1 - ?3)
                                            OR (state = 'sent' AND sent_at + timeout + ?4 < ?1))
                """).run([.integer(now), .integer(callbackID), .integer(CallRequest.staleQueuedSeconds),
                          .integer(CallRequest.answerGraceSeconds)])
            if let live = try connection.prepare("""
                SELECT request_id FROM call_requests WHERE callback_id = ? AND state IN ('queued', 'sent')
                """).first([.integer(callbackID)], { $0.int(0) }) {
                throw StoreRequestError.busy("callback \(callbackID) is being called already (request \(live)): nobody is rung twice")
            }
            if let last = try connection.prepare("""
                SELECT max(requested_at) FROM call_requests WHERE requested_by = ?
                """).first([.text(requestedBy)], { $0.optionalInt(0) }) ?? nil, last > now - interval {
                throw StoreRequestError.tooSoon("one call request in \(interval) s: try again in \(last + interval - now) s")
            }
            let id = try connection.insert("""
                INSERT INTO call_requests (callback_id, requested_by, manager_id, extension, number, channel, context, exten,
                    caller_id, timeout, requested_at, state, office)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)
                RETURNING request_id
                """, [.integer(callbackID), .text(requestedBy), .text(managerID), .text(extensionNumber), .text(number),
                      .text(action.channel), .text(action.context), .text(action.exten), .text(action.callerID),
                      .integer(Int64(action.timeoutSeconds)), .integer(now), .text(office)])
            guard let id, let filed = try callRequest(id) else {
                throw StoreError(.other, "the call request just filed is not in the store")
            }
            return filed
        }
    }

    public func callRequest(_ id: Int64) throws -> CallRequest? {
        try connection.prepare("""
            SELECT request_id, callback_id, requested_by, manager_id, extension, number, channel, context, exten, caller_id,
                timeout, requested_at, state, sent_at, finished_at, reason
            FROM call_requests WHERE request_id = ?
            """).first([.integer(id)], Self.callRequest)
    }

    /// A callback's requests, newest first: its story shows them.
    public func callRequests(ofCallback id: Int64) throws -> [CallRequest] {
        try connection.prepare("""
            SELECT request_id, callback_id, requested_by, manager_id, extension, number, channel, context, exten, caller_id,
                timeout, requested_at, state, sent_at, finished_at, reason
            FROM call_requests WHERE callback_id = ? ORDER BY request_id DESC LIMIT 20
            """).rows([.integer(id)], Self.callRequest)
    }

    /// The daemon's turn, once its AMI link is up: requests queued longer than `staleAfter`
    /// seconds fail (nobody waits for a call that late); the others are marked sent and
    /// returned, to be written to the link now. Marked first: a daemon that dies before
    /// writing leaves a request that fails later, never one sent twice.
    public func claimQueuedCallRequests(now: Int64, staleAfter: Int64) throws -> [CallRequest] {
        try transaction {
            try connection.prepare("""
                UPDATE call_requests SET state = 'failed', finished_at = ?1,
                    reason = 'not sent: the daemon had no AMI link to the PBX in time'
                WHERE state = 'queued' AND requested_at < ?1 - ?2 AND office = ?3
                """).run([.integer(now), .integer(staleAfter), .text(office)])
            // Only this office's: another office's extension rings on its own PBX.
            let claimed = try connection.prepare("""
                SELECT request_id, callback_id, requested_by, manager_id, extension, number, channel, context, exten, caller_id,
                    timeout, requested_at, state, sent_at, finished_at, reason
                FROM call_requests WHERE state = 'queued' AND office = ? ORDER BY request_id
                """).rows([.text(office)], Self.callRequest)
            for request in claimed {
                try connection.prepare("UPDATE call_requests SET state = 'sent', sent_at = ? WHERE request_id = ?")
                    .run([.integer(now), .integer(request.requestID)])
            }
            return claimed.map { var sent = $0; sent.state = .sent; sent.sentAt = now; return sent }
        }
    }

    /// The PBX's answer to a request still under way; an answer to one already finished
    /// (failed for silence, then answered after all) changes nothing.
    public func finishCallRequest(_ id: Int64, connected: Bool, reason: String?, now: Int64) throws {
        try connection.prepare("""
            UPDATE call_requests SET state = ?, reason = ?, finished_at = ? WHERE request_id = ? AND state IN ('queued', 'sent')
            """).run([.text(connected ? CallRequestState.connected.rawValue : CallRequestState.failed.rawValue), SQLValue(reason),
                      .integer(now), .integer(id)])
    }

    /// Sent requests the PBX has not answered within their ringing time and `grace` more
    /// seconds, or every sent one when the link that sent them dropped: failed with `reason`,
    /// and not sent again (the phone may have rung).
    public func failSentCallRequests(olderThanTimeoutPlus grace: Int64?, reason: String, now: Int64) throws {
        try connection.prepare("""
            UPDATE call_requests SET state = 'failed', finished_at = ?1, reason = ?2
            WHERE state = 'sent' AND (?3 IS NULL OR sent_at + timeout + ?3 < ?1)
            """).run([.integer(now), .text(reason), SQLValue(grace)])
    }

    /// The `DialEnd` of a request's channel: whether and when the client answered.
    public func recordDialEnd(ofCallRequest id: Int64, status: String, now: Int64) throws {
        try connection.prepare("""
            UPDATE call_requests SET dial_status = ?, client_answered_at = CASE WHEN ? = 'ANSWER' THEN ? END
            WHERE request_id = ? AND dial_status IS NULL
            """).run([.text(status), .text(status), .integer(now), .integer(id)])
    }

    /// For the call whose rows carry `channelID`: nil when no request of ours made it, else
    /// when the client answered (nil inside: never).
    public func originatedRequest(ofChannel channelID: String) throws -> OriginatedCall.Request? {
        guard let id = OriginatedCall.requestID(ofChannel: channelID) else { return nil }
        return try connection.prepare("""
            SELECT requested_at, number, extension, manager_id, state, dial_status, client_answered_at FROM call_requests
            WHERE request_id = ?
            """).first([.integer(id)]) { row -> OriginatedCall.Request? in
                guard "\(OriginatedCall.channelPrefix)\(row.int(0)).\(id)" == channelID else { return nil }
                return OriginatedCall.Request(
                    number: row.string(1), extensionNumber: row.string(2), managerID: row.string(3),
                    numberDialled: row.string(4) != CallRequestState.failed.rawValue || row.optionalString(5) != nil,
                    clientAnsweredAt: row.optionalInt(6))
            } ?? nil
    }

    private static func callRequest(_ row: Row) throws -> CallRequest {
        CallRequest(requestID: row.int(0), callbackID: row.int(1), requestedBy: row.string(2), managerID: row.string(3),
                    extensionNumber: row.string(4), number: row.string(5),
                    action: OriginateAction(channel: row.string(6), context: row.string(7), exten: row.string(8),
                                            callerID: row.string(9), timeoutSeconds: Int(row.int(10))),
                    requestedAt: row.int(11), state: try row.word(12), sentAt: row.optionalInt(13),
                    finishedAt: row.optionalInt(14), reason: row.optionalString(15))
    }
}
