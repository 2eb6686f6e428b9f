import Foundation
import Logging
import RingbackConfig
import RingbackCore
import RingbackOperations
import RingbackStore
import ServiceLifecycle

/// Delivers the outbox (SPEC §8.6): each webhook has a loop of its own, so a slow CRM delays
/// nobody else's. Per callback in order, at least once: an attempt interrupted by a stop is
/// made again after the start.
struct WebhookService: Service {
    struct Webhook: Sendable {
        var settings: WebhookSettings
        var secret: [UInt8]
    }

    let webhooks: [Webhook]
    let store: StoreAccess
    let zone: ZoneConverter
    let clock: @Sendable () -> Int64
    let logger: Logger
    /// Deliveries in flight per webhook: each of another callback.
    let concurrency = 8
    /// How often the outbox is looked at when it had nothing due: other programs write it.
    let pollInterval: Duration = .milliseconds(250)

    /// Reads every webhook's secret: one that cannot be read stops the start.
    static func loadSecrets(_ settings: [WebhookSettings]) throws -> [Webhook] {
        try settings.map { webhook in
            let secret = Array(try SecretFile.read(webhook.secretFile, for: "[[webhook]] \(webhook.target): secret_file").utf8)
            return Webhook(settings: webhook, secret: secret)
        }
    }

    func run() async throws {
        let urls = webhooks.map { $0.settings.target.url.absoluteString }
        let abandoned = try await store.deliver { try $0.abandonWebhookDeliveries(notTo: urls, now: clock()) }
        if abandoned > 0 {
            logger.warning("\(abandoned) webhook deliveries were waiting for a webhook no longer configured: given up")
        }
        guard !webhooks.isEmpty else {
            // A service that returns ends the group: wait for the stop like the others.
            try? await gracefulShutdown()
            return
        }
        let sender = WebhookSender()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for webhook in webhooks { group.addTask { await deliverAll(to: webhook, with: sender) } }
            }
        }
        await sender.shutdown()
    }

    private func deliverAll(to webhook: Webhook, with sender: WebhookSender) async {
        let url = webhook.settings.target.url.absoluteString
        while !Task.isCancelled {
            do {
                let due = try await store.deliver { try $0.dueWebhookDeliveries(url: url, now: clock(), limit: concurrency) }
                await withDiscardingTaskGroup { group in
                    for delivery in due { group.addTask { await attempt(delivery, to: webhook, with: sender) } }
                }
                if !due.isEmpty { continue }
            } catch {
                logger.error("webhook bookkeeping failed: \(error)", metadata: ["webhook": "\(webhook.settings.target)"])
            }
            try? await Task.sleep(for: pollInterval)
        }
    }

    private func attempt(_ delivery: WebhookDelivery, to webhook: Webhook, with sender: WebhookSender) async {
        let metadata: Logger.Metadata = ["webhook": "\(webhook.settings.target)", "event": "\(delivery.event.rawValue)",
                                         "event_id": "\(delivery.eventID)", "attempt": "\(delivery.attempts + 1)"]
        do {
            guard let body = try await payload(of: delivery) else {
                try await store.deliver {
                    try $0.finishWebhookAttempt(deliveryID: delivery.deliveryID,
                                                .failed(error: "its callback or alert no longer exists (judged again)"),
                                                now: clock())
                }
                return
            }
            let signature = WebhookSignature.header(secret: webhook.secret, timestamp: clock(), body: body)
            let failure = await sender.post(body, to: webhook.settings.target, signature: signature, eventID: delivery.eventID)
            if Task.isCancelled { return }  // stopped mid-attempt: it is made again after the start
            let now = clock()
            let outcome: WebhookAttemptOutcome
            if let failure {
                let policy = WebhookRetryPolicy(giveUpAfterHours: webhook.settings.giveUpAfterHours)
                if let next = policy.retryAt(afterAttempts: delivery.attempts + 1, writtenAt: delivery.writtenAt, now: now) {
                    outcome = .retry(at: next, error: failure)
                    logger.warning("webhook delivery failed: \(failure); trying again", metadata: metadata)
                } else {
                    outcome = .failed(error: failure)
                    logger.error("webhook delivery given up after \(webhook.settings.giveUpAfterHours) h: \(failure)",
                                 metadata: metadata)
                }
            } else {
                outcome = .delivered
            }
            try await store.deliver { try $0.finishWebhookAttempt(deliveryID: delivery.deliveryID, outcome, now: now) }
        } catch {
            logger.error("webhook bookkeeping failed: \(error)", metadata: metadata)
        }
    }

    /// The body first sent, kept so that every retry sends the same bytes.
    private func payload(of delivery: WebhookDelivery) async throws -> String? {
        if let payload = delivery.payload { return payload }
        let zone = self.zone
        guard let body = try await store.read({ try WebhookPayload.body(of: delivery, in: $0, zone: zone) }) else { return nil }
        try await store.deliver { try $0.saveWebhookPayload(deliveryID: delivery.deliveryID, body) }
        return body
    }
}
