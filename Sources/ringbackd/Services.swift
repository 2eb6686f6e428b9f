import Foundation
import Logging
import RingbackConfig
import RingbackIngest
import RingbackStore
import RingbackSystemd
import ServiceLifecycle

/// Completes settled calls, raises overdue and no-contact alerts on time, pings the
/// watchdog and keeps systemd's status line current. The watchdog ping follows a completed
/// pass through the pipeline's owner, so a pipeline that hangs stops the pings and systemd
/// restarts the daemon.
struct SweepService: Service {
    let writer: StoreWriter
    let notifier: SystemdNotifier
    let logger: Logger
    let sourceCount: Int
    let settle: Duration
    let clock: RingbackClock
    /// How often alerts are checked when nothing else is happening: well under a minute.
    let sweepInterval: Duration = .seconds(5)

    /// "3 sources, last CDR 12 s ago, 2 overdue", for `systemctl status`.
    private func statusLine() async throws -> String {
        let summary = try await writer.summary()
        let now = clock.wallSeconds()
        let last = summary.lastCDRAt.map { "last CDR \(Self.age(now - $0)) ago" } ?? "no CDR yet"
        return "\(sourceCount) source\(sourceCount == 1 ? "" : "s"), \(last), \(summary.overdue) overdue"
    }

    static func age(_ seconds: Int64) -> String {
        switch max(0, seconds) {
        case ..<120: "\(max(0, seconds)) s"
        case ..<7200: "\(seconds / 60) min"
        case ..<172_800: "\(seconds / 3600) h"
        default: "\(seconds / 86_400) days"
        }
    }

    func run() async throws {
        // Ready only now: the group is running and its SIGTERM handler is in place, so a stop
        // request right after READY=1 is a graceful one.
        notifier.ready()
        let watchdog = notifier.watchdogInterval.map { $0 / 2 }
        let monotonic = ContinuousClock()
        var lastSweep = monotonic.now - sweepInterval
        var lastPing = monotonic.now
        var lastStatus = monotonic.now - sweepInterval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let waiting = await writer.hasSettlingCalls
            if waiting || monotonic.now - lastSweep >= sweepInterval {
                do {
                    let result = try await writer.tick()
                    if result.alerts > 0 { logger.info("raised \(result.alerts) alerts") }
                    var purged = 0
                    while case let deleted = try await writer.purgeExpired(), deleted > 0 { purged += deleted }
                    if purged > 0 { logger.info("deleted \(purged) rows older than [store] keep_days") }
                    lastSweep = monotonic.now
                    if monotonic.now - lastStatus >= sweepInterval {
                        try await writer.checkStoreInPlace()
                        notifier.status(try await statusLine())
                        lastStatus = monotonic.now
                    }
                } catch let error as StoreError where error.kind == .cannotOpen {
                    // The store is gone: end the daemon with the reason (systemd restarts it
                    // on a new store, which reads every file again) rather than write on.
                    logger.critical("\(error)")
                    throw error
                } catch {
                    logger.error("sweep failed: \(error)")
                }
            }
            if let watchdog, monotonic.now - lastPing >= watchdog {
                notifier.watchdog()
                lastPing = monotonic.now
            }
            // A held call completes `settle` after its last row: look again soon, so it is not
            // held up to a whole extra `settle` (a fifth of it is cheap: the tick only checks).
            try? await Task.sleep(for: waiting ? settle / 5 : settle)
        }
        notifier.status("stopping")
        // Finish the calls still held: their legs are stored, and on the next start they
        // would be completed anyway; doing it now keeps the store current.
        _ = try? await writer.tick()
    }
}
