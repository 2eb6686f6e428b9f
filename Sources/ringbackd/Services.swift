import Foundation
import Logging
import RingbackConfig
import RingbackIngest
import RingbackStore
import RingbackSystemd
import ServiceLifecycle

/// A source (a spool directory, an AMI link, directory drops) as a service of the daemon's
/// group: it runs until the group shuts down gracefully.
struct SourceService: Service {
    let body: @Sendable (_ shouldStop: @Sendable () -> Bool) async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await body { Task.isCancelled || Task.isShuttingDownGracefully }
        }
    }
}

/// A listening socket as a service of the daemon's group. A bind that fails (the path's
/// directory is read-only, the port is taken) is reported and tried again every 5 s.
struct SocketService: Service {
    let source: SocketSource
    let owner: PipelineOwner
    let context: SourceContext
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                do {
                    try await source.run()
                } catch {
                    if Task.isCancelled { return }
                    logger.error("socket source failed: \(error)", metadata: ["source": "\(context.name)"])
                    await owner.reportState(source: context.name, kind: context.kind, state: "failing",
                                            error: "\(error)", now: Int64(Date().timeIntervalSince1970))
                }
                try? await Task.sleep(for: .seconds(5))
            }
        }
    }
}

/// Completes settled calls, raises overdue and no-contact alerts on time, pings the
/// watchdog and keeps systemd's status line current. The watchdog ping follows a completed
/// pass through the pipeline's owner, so a pipeline that hangs stops the pings and systemd
/// restarts the daemon.
struct SweepService: Service {
    let owner: PipelineOwner
    let notifier: SystemdNotifier
    let logger: Logger
    let sourceCount: Int
    let settle: Duration
    /// How often alerts are checked when nothing else is happening: well under a minute.
    let sweepInterval: Duration = .seconds(5)

    /// "3 sources, last CDR 12 s ago, 2 overdue", for `systemctl status`.
    private func statusLine() async throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        let summary = try await owner.summary(now: now)
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
        let clock = ContinuousClock()
        var lastSweep = clock.now - sweepInterval
        var lastPing = clock.now
        var lastStatus = clock.now - sweepInterval
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let waiting = await owner.hasSettlingCalls
            if waiting || clock.now - lastSweep >= sweepInterval {
                do {
                    let result = try await owner.tick()
                    if result.alerts > 0 { logger.info("raised \(result.alerts) alerts") }
                    lastSweep = clock.now
                    if clock.now - lastStatus >= sweepInterval {
                        try await owner.checkStoreInPlace()
                        notifier.status(try await statusLine())
                        lastStatus = clock.now
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
            if let watchdog, clock.now - lastPing >= watchdog {
                notifier.watchdog()
                lastPing = clock.now
            }
            // A held call completes `settle` after its last row: look again soon, so it is not
            // held up to a whole extra `settle` (a fifth of it is cheap: the tick only checks).
            try? await Task.sleep(for: waiting ? settle / 5 : settle)
        }
        notifier.status("stopping")
        // Finish the calls still held: their legs are stored, and on the next start they
        // would be completed anyway; doing it now keeps the store current.
        _ = try? await owner.tick()
    }
}
