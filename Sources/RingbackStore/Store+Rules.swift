import RingbackCore

extension Store {
    public func openCallback(number: String) throws -> OpenCallback? {
        try connection.prepare("SELECT callback_id, first_missed_at, due_at FROM callbacks WHERE number = ? AND state = 'open'")
            .first([.text(number)]) { OpenCallback(id: $0.int(0), firstMissedAt: $0.int(1), dueAt: $0.int(2)) }
    }

    /// Stores a classified call and applies what the rules decided, in the caller's
    /// transaction. `headID` owns the alerts of unassigned callbacks. A call already stored
    /// (a leg that arrived after its call was completed joins it) is left as it was: its
    /// outcome was acted on. Returns whether the call was new.
    @discardableResult
    public func record(_ call: Call, decision: CallDecision, headID: String?) throws -> Bool {
        // The call row first: its insert is also the test for a call already stored.
        var callbackID: Int64?
        if case .countMissed(let id)? = decision.callbackAction { callbackID = id }
        try connection.prepare("""
            INSERT INTO calls (call_id, started_at, ended_at, direction, number, raw_number, answered, extension, rang,
                voicemail, talk_seconds, leg_count, client_id, manager_id, callback_id, ignored, credited_manager, office)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(call_id) DO NOTHING
            """).run([.text(call.callID), .integer(call.startedAt), .integer(call.endedAt), .text(call.direction.rawValue),
                      SQLValue(call.number), .text(call.rawNumber), SQLValue(call.answered), SQLValue(call.extensionNumber),
                      .text(call.rangExtensions.joined(separator: ";")), SQLValue(call.voicemail),
                      .integer(Int64(call.talkSeconds)), .integer(Int64(call.legCount)), SQLValue(decision.clientID),
                      SQLValue(decision.managerID), SQLValue(callbackID), SQLValue(decision.ignored),
                      SQLValue(call.creditedManagerID), .text(call.office)])
        guard connection.changes == 1 else { return false }
        switch decision.callbackAction {
        case .open(let new)?:
            let id = try openCallback(new, firstCall: call)
            try connection.prepare("UPDATE calls SET callback_id = ? WHERE call_id = ?").run([.integer(id), .text(call.callID)])
            try linkCall(callbackID: id, callID: call.callID, role: "missed", at: call.startedAt)
            try raiseAlert(.missedCall, at: call.startedAt, managerID: new.ownerID ?? headID, clientID: new.clientID,
                           number: new.number, callID: call.callID, callbackID: id)
        case .countMissed(let id)?:
            try linkCall(callbackID: id, callID: call.callID, role: "missed", at: call.startedAt)
        case .countAttempt(let id)?:
            try linkCall(callbackID: id, callID: call.callID, role: "attempt", at: call.startedAt)
        case .resolve(let id, let resolution, let creditedTo, let late, let dueAt)?:
            try linkCall(callbackID: id, callID: call.callID, role: "resolution", at: call.startedAt)
            try resolveCallback(id, resolution: resolution, at: call.startedAt, by: creditedTo, callID: call.callID,
                                reason: nil, late: late, dueAt: dueAt, headID: headID)
        case nil:
            break
        }
        if let check = decision.contactCheck {
            try connection.prepare("""
                INSERT INTO contact_checks (call_id, manager_id, client_id, number, started_at, deadline)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).run([.text(check.callID), SQLValue(check.managerID), SQLValue(check.clientID), .text(check.number),
                          .integer(check.startedAt), .integer(check.deadline)])
        }
        return true
    }

    /// Inserts a callback, or revives the one set aside for the same first call while its
    /// number is judged again, under its old id.
    private func openCallback(_ new: NewCallback, firstCall: Call) throws -> Int64 {
        let values: [SQLValue] = [.text(new.number), SQLValue(new.clientID), SQLValue(new.ownerID), .integer(new.missedAt),
                                  .integer(new.dueAt), .text(firstCall.callID), .text(firstCall.office)]
        if let id = try connection.prepare("""
            SELECT callback_id FROM callbacks INDEXED BY callbacks_rejudging WHERE first_call_id = ? AND state = 'rejudging'
            """).first([.text(firstCall.callID)], { $0.int(0) }) {
            try connection.prepare("""
                UPDATE callbacks SET number = ?, client_id = ?, manager_id = CASE WHEN assigned_by_hand = 1 THEN manager_id ELSE ? END,
                    first_missed_at = ?, due_at = ?,
                    first_call_id = ?, office = ?, state = 'open', resolved_at = NULL, resolved_by = NULL, resolution_call_id = NULL,
                    reason = NULL, overdue_alerted = 0, sla_due_at = NULL, promise_note = NULL
                WHERE callback_id = ?
                """).run(values + [.integer(id)])
            return id
        }
        guard let id = try connection.insert("""
            INSERT INTO callbacks (number, client_id, manager_id, first_missed_at, due_at, first_call_id, office, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'open') RETURNING callback_id
            """, values) else {
            throw StoreError(.other, "the callback just opened for \(new.number) is not in the store")
        }
        try fileWebhookEvent(.callbackOpened, happenedAt: new.missedAt, callbackID: id, alertID: nil)
        return id
    }

    private func linkCall(callbackID: Int64, callID: String, role: String, at: Int64) throws {
        try connection.prepare("INSERT INTO callback_calls (callback_id, call_id, role, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
            .run([.integer(callbackID), .text(callID), .text(role), .integer(at)])
        guard connection.changes == 1 else { return }
        try connection.prepare("""
            UPDATE callbacks SET missed_count = missed_count + CASE WHEN ?2 = 'missed' THEN 1 ELSE 0 END,
                attempt_count = attempt_count + CASE WHEN ?2 = 'attempt' THEN 1 ELSE 0 END,
                last_missed_at = CASE WHEN ?2 <> 'missed' OR last_missed_at > ?3 THEN last_missed_at ELSE ?3 END,
                linked_until = CASE WHEN linked_until > ?3 THEN linked_until ELSE ?3 END
            WHERE callback_id = ?1
            """).run([.integer(callbackID), .text(role), .integer(at)])
    }

    /// Closes a callback and the alerts it raised. A callback resolved after its due time
    /// was overdue from the due time on: that alert is raised too, at the due time, so
    /// replaying the same input gives the same alerts whenever it is processed. One resolved
    /// in time never was overdue: an overdue alert raised before the rows of the resolving
    /// call arrived (a long call is written when it ends) is taken back.
    func resolveCallback(_ id: Int64, resolution: Resolution, at: Int64, by: String?, callID: String?, reason: String?,
                         late: Bool, dueAt: Int64, headID: String?) throws {
        if late {
            try raiseOverdue(callbackID: id, headID: headID)
        } else {
            try connection.prepare("""
                DELETE FROM hook_deliveries WHERE alert_id IN
                    (SELECT alert_id FROM alerts WHERE callback_id = ? AND kind = 'callback_overdue')
                """).run([.integer(id)])
            try connection.prepare("DELETE FROM alerts WHERE callback_id = ? AND kind = 'callback_overdue'").run([.integer(id)])
        }
        try connection.prepare("""
            UPDATE callbacks SET state = ?, resolved_at = ?, resolved_by = ?, resolution_call_id = ?, reason = ?
            WHERE callback_id = ? AND state = 'open'
            """).run([.text(resolution.rawValue), .integer(at), SQLValue(by), SQLValue(callID), SQLValue(reason), .integer(id)])
        if connection.changes == 1 {
            try fileWebhookEvent(.callbackResolved, happenedAt: at, callbackID: id, alertID: nil)
        }
        try connection.prepare("""
            UPDATE alerts SET resolved_at = ?, resolution = ? WHERE callback_id = ? AND resolved_at IS NULL
            """).run([.integer(at), .text(resolution.rawValue), .integer(id)])
    }

    /// Raises an alert once (SPEC §4.5); one set aside while its number is judged again is
    /// revived under its id.
    @discardableResult
    func raiseAlert(_ kind: AlertKind, at: Int64, managerID: String?, clientID: String?, number: String?,
                    callID: String, callbackID: Int64?) throws -> Bool {
        let key: [SQLValue] = [.text(kind.rawValue), .text(callID)]
        switch try connection.prepare("SELECT resolution FROM alerts WHERE kind = ? AND call_id = ?").first(key, { $0.optionalString(0) }) {
        case "rejudging"?:
            // Announced when it was first raised: revived quietly.
            try connection.prepare("""
                UPDATE alerts SET raised_at = ?, manager_id = ?, client_id = ?, number = ?, callback_id = ?,
                    resolved_at = NULL, resolution = NULL
                WHERE kind = ? AND call_id = ?
                """).run([.integer(at), SQLValue(managerID), SQLValue(clientID), SQLValue(number), SQLValue(callbackID)] + key)
            return true
        case _?:
            return false
        case nil:
            // The office of its call; a silent PBX's alert is the office's that raises it.
            guard let alertID = try connection.insert("""
                INSERT INTO alerts (kind, raised_at, manager_id, client_id, number, call_id, callback_id, office)
                VALUES (?, ?, ?, ?, ?, ?, ?, coalesce((SELECT office FROM calls WHERE call_id = ?), ?))
                ON CONFLICT(kind, call_id) DO NOTHING RETURNING alert_id
                """, [.text(kind.rawValue), .integer(at), SQLValue(managerID), SQLValue(clientID), SQLValue(number),
                      .text(callID), SQLValue(callbackID), .text(callID), .text(office)]) else { return false }
            if try wantsWebhook(.alertRaised) {
                try fileWebhookEvent(.alertRaised, happenedAt: at, callbackID: callbackID, alertID: alertID)
            }
            return true
        }
    }

    /// What an overdue alert is raised from.
    private struct OverdueCallback {
        var id: Int64
        var managerID: String?
        var clientID: String?
        var number: String
        var firstCallID: String
        var dueAt: Int64

        init(_ row: Row) {
            id = row.int(0)
            managerID = row.optionalString(1)
            clientID = row.optionalString(2)
            number = row.string(3)
            firstCallID = row.string(4)
            dueAt = row.int(5)
        }
    }

    private func raiseOverdue(callbackID: Int64, headID: String?) throws {
        guard let callback = try connection.prepare("""
            SELECT callback_id, manager_id, client_id, number, first_call_id, due_at FROM callbacks WHERE callback_id = ?
            """).first([.integer(callbackID)], OverdueCallback.init)
        else { return }
        try raiseOverdue(callback, headID: headID)
    }

    private func raiseOverdue(_ callback: OverdueCallback, headID: String?) throws {
        try raiseAlert(.callbackOverdue, at: callback.dueAt, managerID: callback.managerID ?? headID,
                       clientID: callback.clientID, number: callback.number, callID: callback.firstCallID,
                       callbackID: callback.id)
        try connection.prepare("UPDATE callbacks SET overdue_alerted = 1 WHERE callback_id = ?").run([.integer(callback.id)])
    }

    /// Raises every time-based alert whose moment has come (SPEC §4.3, §4.4): callbacks past
    /// their due time, answered calls whose grace ran out without a contact. A number in
    /// `heldBack` takes part in a call still held since the time given: its alerts wait
    /// for that call if their moment comes after its start. Returns how many alerts were raised.
    @discardableResult
    public func raiseDueAlerts(now: Int64, headID: String?, heldBack: [String: Int64] = [:]) throws -> Int {
        var raised = 0
        // Named index: on a fresh store (no ANALYZE) the planner takes callbacks_state and
        // walks every open overdue callback, which grows all through a backfill.
        let dueCallbacks = {
            try self.connection.prepare("""
                SELECT callback_id, manager_id, client_id, number, first_call_id, due_at
                FROM callbacks INDEXED BY callbacks_overdue_unalerted
                WHERE state = 'open' AND overdue_alerted = 0 AND due_at <= ?
                """).rows([.integer(now)], OverdueCallback.init)
        }
        let dueChecks = {
            try self.connection.prepare("""
                SELECT call_id, manager_id, client_id, number, started_at, deadline FROM contact_checks
                WHERE checked = 0 AND deadline <= ?
                """).rows([.integer(now)]) {
                    ContactCheck(callID: $0.string(0), managerID: $0.optionalString(1), clientID: $0.optionalString(2),
                                 number: $0.string(3), startedAt: $0.int(4), deadline: $0.int(5))
                }
        }
        var overdue = try dueCallbacks()
        var checks = try dueChecks()
        if connection.isPostgres, !overdue.isEmpty || !checks.isEmpty {
            // Another daemon may be judging one of these numbers right now: only those whose
            // lock is free (or ours) are handled, read again under it; the others are left to
            // that daemon, or to the next tick. Never waiting here, no two daemons deadlock.
            let mine = try tryLockNumbers(overdue.map(\.number) + checks.map(\.number))
            overdue = try dueCallbacks().filter { mine.contains($0.number) }
            checks = try dueChecks().filter { mine.contains($0.number) }
        }
        for callback in overdue where (heldBack[callback.number] ?? .max) >= callback.dueAt {
            try raiseOverdue(callback, headID: headID)
            raised += 1
        }
        for check in checks where (heldBack[check.number] ?? .max) >= check.deadline {
            if try !contactExists(for: check) {
                if try raiseAlert(.noContact, at: check.deadline, managerID: check.managerID, clientID: check.clientID,
                                  number: check.number, callID: check.callID, callbackID: nil) { raised += 1 }
            }
            try connection.prepare("UPDATE contact_checks SET checked = 1 WHERE call_id = ?").run([.text(check.callID)])
        }
        return raised
    }

    /// A CRM contact for the call's client or number, created between the call's start and
    /// the end of the grace.
    func contactExists(for check: ContactCheck) throws -> Bool {
        let window: [SQLValue] = [.integer(check.startedAt), .integer(check.deadline)]
        if let client = check.clientID,
           try connection.prepare("SELECT 1 FROM contacts WHERE client_id = ? AND created_at BETWEEN ? AND ? LIMIT 1")
            .first([.text(client)] + window, { _ in true }) == true {
            return true
        }
        return try connection.prepare("SELECT 1 FROM contacts WHERE phone = ? AND created_at BETWEEN ? AND ? LIMIT 1")
            .first([.text(check.number)] + window, { _ in true }) == true
    }

    /// After contacts are imported: `no_contact` alerts whose call now has a contact in time
    /// are resolved as `contact_found`.
    func resolveFoundContacts(now: Int64) throws -> Int {
        let open = try connection.prepare("""
            SELECT k.call_id, k.manager_id, k.client_id, k.number, k.started_at, k.deadline FROM alerts a
            JOIN contact_checks k ON k.call_id = a.call_id
            WHERE a.kind = 'no_contact' AND a.resolved_at IS NULL
            """).rows {
                ContactCheck(callID: $0.string(0), managerID: $0.optionalString(1), clientID: $0.optionalString(2),
                             number: $0.string(3), startedAt: $0.int(4), deadline: $0.int(5))
            }
        var resolved = 0
        for check in open where try contactExists(for: check) {
            try connection.prepare("""
                UPDATE alerts SET resolved_at = ?, resolution = 'contact_found' WHERE kind = 'no_contact' AND call_id = ?
                """).run([.integer(now), .text(check.callID)])
            resolved += 1
        }
        return resolved
    }
}
