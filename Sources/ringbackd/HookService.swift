import Foundation
import Logging
import RingbackCore
import RingbackHooks
import RingbackIngest
import RingbackStore
import ServiceLifecycle

/// Hands new alerts to the `[hooks] on_alert` program (SPEC §4.5). It runs beside the
/// sources: a slow or failing program delays only other deliveries, never ingestion.
struct HookService: Service {
    let writer: StoreWriter
    let clock: RingbackClock
    let hook: HookProgram
    let maxAge: Int64
    let zone: ZoneConverter
    let logger: Logger
    let policy = HookRetryPolicy()
    /// Programs running at once: enough for a burst, few enough for a small PBX box.
    let concurrency = 4

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let jobs = try await writer.claimHookDeliveries(maxAge: maxAge, limit: concurrency)
                await withTaskGroup(of: Void.self) { group in
                    for job in jobs { group.addTask { await deliver(job) } }
                }
                if !jobs.isEmpty { continue }
            } catch {
                logger.error("alert hook bookkeeping failed: \(error)")
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    private func deliver(_ job: HookJob) async {
        let outcome = await hook.deliver(AlertPayload.json(job, zone: zone))
        let now = clock.wallSeconds()
        let metadata: Logger.Metadata = ["alert": "\(job.alert.alertID)", "kind": "\(job.alert.kind.rawValue)",
                                         "attempt": "\(job.attempt)"]
        do {
            switch outcome {
            case .delivered:
                try await writer.finishHookDelivery(alertID: job.alert.alertID, delivered: true, error: nil, retryAt: nil)
            case .failed(let reason):
                let retryAt = policy.retryAt(afterAttempt: job.attempt, now: now)
                try await writer.finishHookDelivery(alertID: job.alert.alertID, delivered: false, error: reason,
                                                    retryAt: retryAt)
                if retryAt == nil {
                    logger.error("alert hook gave up: \(reason)", metadata: metadata)
                } else {
                    logger.warning("alert hook failed: \(reason); trying again", metadata: metadata)
                }
            }
        } catch {
            logger.error("alert hook bookkeeping failed: \(error)", metadata: metadata)
        }
    }
}
