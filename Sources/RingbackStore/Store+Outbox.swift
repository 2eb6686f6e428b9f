import RingbackCore

/// Which webhooks want which events, and the clock their rows are stamped with: set by a
/// program whose configuration has `[[webhook]]`s; without it nothing is filed.
struct WebhookOutbox {
    var routing: WebhookRouting
    var clock: @Sendable () -> Int64
}

/// One event on its way to one webhook (SPEC §8.6).
public struct WebhookDelivery: Sendable, Equatable {
    public var deliveryID: Int64
    /// The event's stable id: the same in every attempt, and for every webhook.
    public var eventID: String
    public var url: String
    public var event: WebhookEvent
    public var callbackID: Int64?
    public var alertID: Int64?
    public var happenedAt: Int64
    public var writtenAt: Int64
    /// Attempts made before this one.
    public var attempts: Int
    /// The body as first sent; every retry sends the same bytes, signed anew.
    public var payload: String?
}

/// What one attempt came to.
public enum WebhookAttemptOutcome: Sendable, Equatable {
    case delivered
    /// Failed; due again at the time given.
    case retry(at: Int64, error: String)
    /// Failed for good: retried until `give_up_after`, or nothing left to send.
    case failed(error: String)
}

extension Store {
    /// From now on, every change files its events for the webhooks of `routing` (nil: none).
    public func fileWebhookEvents(_ routing: WebhookRouting?, clock: @escaping @Sendable () -> Int64) {
        outbox = routing.map { WebhookOutbox(routing: $0, clock: clock) }
    }

    /// Whether anybody wants `event`: the caller may skip the look-ups an event needs.
    func wantsWebhook(_ event: WebhookEvent) -> Bool { outbox?.routing.urls(for: event).isEmpty == false }

    /// Files `event` for every webhook that wants it, in the caller's transaction: it is sent
    /// if and only if the change is stored. One callback's events (and those of its alerts)
    /// share an order key; whether it is sent at all is decided here, once.
    func fileWebhookEvent(_ event: WebhookEvent, happenedAt: Int64?, callbackID: Int64?, alertID: Int64?) throws {
        guard let outbox else { return }
        let urls = outbox.routing.urls(for: event)
        guard !urls.isEmpty else { return }
        let now = outbox.clock()
        let happened = happenedAt ?? now
        let state = outbox.routing.isSendable(happenedAt: happened, now: now) ? "pending" : "skipped"
        let orderKey = callbackID.map { "callback:\($0)" } ?? "alert:\(alertID ?? 0)"
        var random = SystemRandomNumberGenerator()
        let eventID = (0..<2).map { _ in String(random.next() as UInt64, radix: 16).leftPadded(to: 16) }.joined()
        let insert = try connection.prepare("""
            INSERT INTO webhook_outbox (event_id, url, event, callback_id, alert_id, order_key, happened_at, written_at,
                state, next_attempt_at, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for url in urls {
            try insert.run([.text(eventID), .text(url), .text(event.rawValue), SQLValue(callbackID), SQLValue(alertID),
                            .text(orderKey), .integer(happened), .integer(now), .text(state), .integer(now),
                            state == "skipped" ? .integer(now) : .null])
        }
    }

    /// The deliveries to `url` due at `now`, at most one per order key: the oldest one
    /// waiting, so a callback's later event never overtakes an earlier one being retried.
    public func dueWebhookDeliveries(url: String, now: Int64, limit: Int) throws -> [WebhookDelivery] {
        try connection.prepare("""
            SELECT o.delivery_id, o.event_id, o.url, o.event, o.callback_id, o.alert_id, o.happened_at, o.written_at,
                o.attempts, o.payload
            FROM webhook_outbox o INDEXED BY webhook_outbox_pending
            WHERE o.url = ?1 AND o.state = 'pending' AND o.next_attempt_at <= ?2
              AND NOT EXISTS (SELECT 1 FROM webhook_outbox p INDEXED BY webhook_outbox_pending
                              WHERE p.url = o.url AND p.state = 'pending' AND p.order_key = o.order_key
                                AND p.delivery_id < o.delivery_id)
            ORDER BY o.delivery_id LIMIT ?3
            """).rows([.text(url), .integer(now), .integer(Int64(limit))]) { row in
                WebhookDelivery(deliveryID: row.int(0), eventID: row.string(1), url: row.string(2), event: try row.word(3),
                                callbackID: row.optionalInt(4), alertID: row.optionalInt(5), happenedAt: row.int(6),
                                writtenAt: row.int(7), attempts: Int(row.int(8)), payload: row.optionalString(9))
            }
    }

    /// Keeps the body a delivery is first sent with.
    public func saveWebhookPayload(deliveryID: Int64, _ payload: String) throws {
        try connection.prepare("UPDATE webhook_outbox SET payload = ? WHERE delivery_id = ? AND payload IS NULL")
            .run([.text(payload), .integer(deliveryID)])
    }

    public func finishWebhookAttempt(deliveryID: Int64, _ outcome: WebhookAttemptOutcome, now: Int64) throws {
        let (state, error, next): (String, String?, Int64?) = switch outcome {
        case .delivered: ("delivered", nil, nil)
        case .retry(let at, let error): ("pending", error, at)
        case .failed(let error): ("failed", error, nil)
        }
        try connection.prepare("""
            UPDATE webhook_outbox SET state = ?2, attempts = attempts + 1, last_error = ?3,
                next_attempt_at = coalesce(?4, next_attempt_at), finished_at = CASE WHEN ?4 IS NULL THEN ?5 END
            WHERE delivery_id = ?1
            """).run([.integer(deliveryID), .text(state), SQLValue(error), SQLValue(next), .integer(now)])
    }

    /// Deliveries waiting for a webhook no longer configured fail, with that reason.
    @discardableResult
    public func abandonWebhookDeliveries(notTo urls: [String], now: Int64) throws -> Int {
        let waiting = try connection.prepare("SELECT DISTINCT url FROM webhook_outbox WHERE state = 'pending'")
            .rows { $0.string(0) }
        var abandoned = 0
        for url in waiting where !urls.contains(url) {
            try connection.prepare("""
                UPDATE webhook_outbox SET state = 'failed', last_error = 'the webhook is no longer configured', finished_at = ?2
                WHERE url = ?1 AND state = 'pending'
                """).run([.text(url), .integer(now)])
            abandoned += connection.changes
        }
        return abandoned
    }

    /// How many deliveries are in each state (`pending`, `delivered`, `failed`, `skipped`).
    public func webhookDeliveryCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        try connection.prepare("SELECT state, count(*) FROM webhook_outbox GROUP BY state").rows {
            counts[$0.string(0)] = Int($0.int(1))
        }
        return counts
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
