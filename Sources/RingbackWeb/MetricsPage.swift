import Prometheus
import RingbackCore
import RingbackStore

/// `GET /metrics` (SPEC §8.5) in the Prometheus text format, written by swift-prometheus
/// from what the store holds at the scrape: a fresh registry each time, so every counter is
/// the store's own total, never a count of what this process happened to see.
struct MetricsPage {
    /// The daemon's heartbeat older than this means it is down.
    static let daemonStaleSeconds: Int64 = 30

    struct Snapshot: Sendable {
        var sources: [SourceStatus]
        var counts: MetricCounts
        var hooks: [String: Int]
        var webhooks: [String: Int]
        var heartbeat: Int64?
    }

    static func render(_ snapshot: Snapshot, now: Int64) -> [UInt8] {
        let registry = PrometheusCollectorRegistry()
        for source in snapshot.sources {
            registry.makeCounter(name: "ringback_cdr_rows_total", labels: [("source", source.name)],
                                 help: "CDR rows stored, by source").increment(by: Int64(source.rows))
            registry.makeCounter(name: "ringback_rows_rejected_total", labels: [("source", source.name)],
                                 help: "Rows quarantined, by source").increment(by: Int64(source.rejected))
            registry.makeGauge(name: "ringback_source_up", labels: [("source", source.name), ("kind", source.kind.rawValue)],
                               help: "1 while the source is healthy (ok or connected)")
                .set(source.state(at: now).isHealthy ? 1.0 : 0.0)
            if let last = source.lastRowAt {
                registry.makeGauge(name: "ringback_source_last_row_age_seconds", labels: [("source", source.name)],
                                   help: "Seconds since the newest CDR of the source ended").set(Double(max(0, now - last)))
            }
        }
        for open in snapshot.counts.openCallbacks {
            registry.makeGauge(name: "ringback_callbacks_open",
                               labels: [("manager", open.managerID ?? "unassigned"), ("overdue", open.overdue ? "true" : "false")],
                               help: "Open callbacks by owner and whether they are overdue").set(Double(open.count))
        }
        for kind in AlertKind.allCases {
            registry.makeCounter(name: "ringback_alerts_raised_total", labels: [("kind", kind.rawValue)], help: "Alerts raised, by kind")
                .increment(by: Int64(snapshot.counts.alertsRaised[kind] ?? 0))
        }
        // The same four outcomes for both: delivered, failed (given up), skipped (too old to
        // send), pending (waiting or being retried).
        for outcome in ["delivered", "failed", "skipped", "pending"] {
            let count = outcome == "pending" ? (snapshot.hooks["pending"] ?? 0) + (snapshot.hooks["sending"] ?? 0) : snapshot.hooks[outcome] ?? 0
            registry.makeCounter(name: "ringback_hook_deliveries_total", labels: [("outcome", outcome)],
                                 help: "Alert hook deliveries, by outcome").increment(by: Int64(count))
            registry.makeCounter(name: "ringback_webhook_deliveries_total", labels: [("outcome", outcome)],
                                 help: "Webhook deliveries, by outcome").increment(by: Int64(snapshot.webhooks[outcome] ?? 0))
        }
        let up = snapshot.heartbeat.map { now - $0 <= daemonStaleSeconds } ?? false
        registry.makeGauge(name: "ringback_daemon_up", help: "1 while ringbackd's sweep wrote its heartbeat in the last 30 s")
            .set(up ? 1.0 : 0.0)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
