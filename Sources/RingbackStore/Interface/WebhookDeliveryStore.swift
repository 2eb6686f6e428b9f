/// What `ringback-web`'s webhook delivery writes: the outbox's bookkeeping, beside the
/// short changes people make.
public protocol WebhookDeliveryStore: StoreWriting {
    func dueWebhookDeliveries(url: String, now: Int64, limit: Int) throws -> [WebhookDelivery]
    func saveWebhookPayload(deliveryID: Int64, _ payload: String) throws
    func finishWebhookAttempt(deliveryID: Int64, _ outcome: WebhookAttemptOutcome, now: Int64) throws
    @discardableResult
    func abandonWebhookDeliveries(notTo urls: [String], now: Int64) throws -> Int
}
