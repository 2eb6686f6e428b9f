import Foundation
import Logging
import RingbackConfig
import RingbackIngest
import ServiceLifecycle

/// One spool source as a service of the daemon's group.
struct SpoolService: Service {
    let source: SpoolSource

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await source.run(shouldStop: { Task.isCancelled || Task.isShuttingDownGracefully })
        }
    }
}

/// One AMI link as a service of the daemon's group.
struct AMIService: Service {
    let source: AMISource

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await source.run(shouldStop: { Task.isCancelled || Task.isShuttingDownGracefully })
        }
    }
}

struct DirectoryService: Service {
    let watcher: DirectoryDropWatcher

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await watcher.run(shouldStop: { Task.isCancelled || Task.isShuttingDownGracefully })
        }
    }
}

/// Completes settled calls, raises overdue and no-contact alerts on time, pings the
/// watchdog and keeps systemd's status line current.
struct SweepService: Service {
    let owner: PipelineOwner
    let notifier: SystemdNotifier
    let logger: Logger
    let sourceCount: Int
    let settle: Duration
    /// How often alerts are checked when nothing else is happening: well under a minute.
    let sweepInterval: Duration = .seconds(5)

    func run() async throws {
        // Ready only now: the group is running and its SIGTERM handler is in place, so a stop
        // request right after READY=1 is a graceful one.
        notifier.ready()
        let watchdog = notifier.watchdogInterval.map { $0 / 2 }
        let clock = ContinuousClock()
        var lastSweep = clock.now - sweepInterval
        var lastPing = clock.now
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let waiting = await owner.hasWaitingLegs
            if waiting || clock.now - lastSweep >= sweepInterval {
                do {
                    let result = try await owner.tick()
                    if result.alerts > 0 { logger.info("raised \(result.alerts) alerts") }
                    lastSweep = clock.now
                    notifier.status("\(sourceCount) sources; last sweep \(Date().formatted(.iso8601))")
                } catch {
                    logger.error("sweep failed: \(error)")
                }
            }
            if let watchdog, clock.now - lastPing >= watchdog {
                notifier.watchdog()
                lastPing = clock.now
            }
            try? await Task.sleep(for: settle)
        }
        // Finish the calls still held: their legs are stored, and on the next start they
        // would be completed anyway; doing it now keeps the store current.
        _ = try? await owner.tick()
    }
}
