import ArgumentParser
import RingbackCore
import Foundation
import RingbackOperations
import RingbackStore

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Health of the sources: last row seen, lag, counts, errors.",
        discussion: """
            Exits 3 when a source is failing or lagging (unread data older than a minute), so that \
            monitoring can run it as a check.

            Example: ringback status --format json
            """)

    @OptionGroup var options: CommonOptions

    func run() throws {
        let environment = try CommandEnvironment(options)
        let store = try environment.openReader()
        // One snapshot: the sources and the counts below agree with each other.
        let (statuses, counts, hooks, webhooks) = try store.reading {
            (try store.sourceStatuses(), try store.counts(), try store.hookDeliveryCounts(), try store.webhookDeliveryCounts())
        }
        var unhealthy = false
        let rows = statuses.map { s -> OutputRecord in
            let state = s.state(at: environment.now)
            if !state.isHealthy { unhealthy = true }
            let lag: OutputValue = s.lastRowAt.map { .integer(max(0, environment.now - $0)) } ?? .null
            return [("source", .text(s.name)), ("kind", .text(s.kind.rawValue)), ("state", .text(state.rawValue)),
                    ("last_row_at", s.lastRowAt.map(OutputValue.time) ?? .null),
                    ("last_read_at", s.lastReadAt.map(OutputValue.time) ?? .null),
                    ("seconds_since_last_row", lag), ("rows", .integer(Int64(s.rows))),
                    ("rejected", .integer(Int64(s.rejected))), ("unread_bytes", .integer(s.pendingBytes)),
                    ("error", s.lastError.map(OutputValue.text) ?? .null)]
        }
        environment.write(rows, columns: ["source", "kind", "state", "last_row_at", "last_read_at", "seconds_since_last_row",
                                          "rows", "rejected", "unread_bytes", "error"],
                          empty: "No source has delivered data yet.")
        if environment.renderer.format == .table {
            print("\nstore \(environment.storeLocation): \(counts["legs"] ?? 0) CDR rows, \(counts["calls"] ?? 0) calls, "
                  + "\(counts["open_callbacks"] ?? 0) open callbacks, \(counts["alerts"] ?? 0) alerts, "
                  + "\(counts["quarantine"] ?? 0) quarantined rows")
            if !hooks.isEmpty {
                print("alert hook: \(hooks["delivered"] ?? 0) delivered, "
                      + "\((hooks["pending"] ?? 0) + (hooks["sending"] ?? 0)) waiting, \(hooks["failed"] ?? 0) given up, "
                      + "\(hooks["skipped"] ?? 0) too old to send")
            }
            if !webhooks.isEmpty {
                print("webhooks: \(webhooks["delivered"] ?? 0) delivered, \(webhooks["pending"] ?? 0) waiting, "
                      + "\(webhooks["failed"] ?? 0) given up, \(webhooks["skipped"] ?? 0) too old to send")
            }
        }
        if unhealthy { throw ExitCode(ExitStatus.sourceUnhealthy) }
    }
}
