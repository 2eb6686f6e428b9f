import RingbackCore

/// One alert to hand to the exec hook, with the names a message needs.
public struct HookJob: Sendable {
    public var alert: AlertRecord
    public var managerName: String?
    public var managerEmail: String?
    public var clientName: String?
    /// This attempt's number, from 1.
    public var attempt: Int
}

extension Store {
    /// Gives every alert not yet considered a delivery row: `pending` when it is younger than
    /// `maxAge` seconds, `skipped` otherwise (a backfill of last year sends nothing).
    @discardableResult
    public func enqueueHookDeliveries(now: Int64, maxAge: Int64) throws -> Int {
        try connection.prepare("""
            INSERT INTO hook_deliveries (alert_id, state, attempts, next_attempt_at)
            SELECT alert_id, CASE WHEN raised_at >= ?1 - ?2 THEN 'pending' ELSE 'skipped' END, 0, ?1
            FROM alerts WHERE alert_id > (SELECT coalesce(max(alert_id), 0) FROM hook_deliveries)
            ON CONFLICT DO NOTHING
            """).run([.integer(now), .integer(maxAge)])
        return connection.changes
    }

    /// The deliveries due at `now`, marked `sending` with one more attempt. A delivery still
    /// `sending` after a restart was interrupted: it is due again, so a crash can repeat a
    /// delivery but never lose one.
    public func claimHookDeliveries(now: Int64, limit: Int) throws -> [HookJob] {
        try connection.transaction {
            let jobs = try connection.prepare("""
                SELECT a.alert_id, a.kind, a.raised_at, a.manager_id, a.client_id, a.number, a.call_id, a.callback_id,
                    m.name, m.email, cl.name, d.attempts
                FROM hook_deliveries d JOIN alerts a ON a.alert_id = d.alert_id
                LEFT JOIN managers m ON m.manager_id = a.manager_id
                LEFT JOIN clients cl ON cl.client_id = a.client_id
                WHERE d.state IN ('pending', 'sending') AND d.next_attempt_at <= ?1
                ORDER BY d.next_attempt_at, d.alert_id LIMIT ?2
                """).rows([.integer(now), .integer(Int64(limit))]) { row in
                    HookJob(alert: AlertRecord(alertID: row.int(0), kind: try row.word(1), raisedAt: row.int(2),
                                               managerID: row.optionalString(3), clientID: row.optionalString(4),
                                               number: row.optionalString(5), callID: row.optionalString(6),
                                               callbackID: row.optionalInt(7), state: .open),
                            managerName: row.optionalString(8), managerEmail: row.optionalString(9),
                            clientName: row.optionalString(10), attempt: Int(row.int(11)) + 1)
                }
            let mark = try connection.prepare("UPDATE hook_deliveries SET state = 'sending', attempts = attempts + 1 WHERE alert_id = ?")
            for job in jobs { try mark.run([.integer(job.alert.alertID)]) }
            return jobs
        }
    }

    /// Records an attempt's outcome: delivered; due again at `retryAt`; or, without one, failed.
    public func finishHookDelivery(alertID: Int64, delivered: Bool, error: String?, retryAt: Int64?, now: Int64) throws {
        let state = delivered ? "delivered" : (retryAt == nil ? "failed" : "pending")
        try connection.prepare("""
            UPDATE hook_deliveries SET state = ?2, delivered_at = ?3, last_error = ?4, next_attempt_at = coalesce(?5, next_attempt_at)
            WHERE alert_id = ?1
            """).run([.integer(alertID), .text(state), delivered ? .integer(now) : .null, SQLValue(error), SQLValue(retryAt)])
    }

    /// How many deliveries are in each state, for `ringback status` and the tests.
    public func hookDeliveryCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try connection.prepare("SELECT state, count(*) FROM hook_deliveries GROUP BY state").rows {
            counts[$0.string(0)] = Int($0.int(1))
        }
        return counts
    }
}
