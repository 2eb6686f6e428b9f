import Foundation

/// The one clock of every source and service: wall time for alerts, status and evaluation,
/// monotonic time for settle delays and link silence. Injected (the daemon makes one and
/// hands it to each service), so tests and `--at` can fix "now".
public struct RingbackClock: Sendable {
    public var wallSeconds: @Sendable () -> Int64
    public var monotonicMilliseconds: @Sendable () -> Int64

    public init(wallSeconds: @escaping @Sendable () -> Int64, monotonicMilliseconds: @escaping @Sendable () -> Int64) {
        self.wallSeconds = wallSeconds
        self.monotonicMilliseconds = monotonicMilliseconds
    }

    public static let system = RingbackClock(
        wallSeconds: { Int64(Date().timeIntervalSince1970) },
        monotonicMilliseconds: {
            var spec = timespec()
            clock_gettime(CLOCK_MONOTONIC, &spec)
            return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
        })

    /// The system's monotonic clock with the wall clock fixed at `seconds`.
    public static func fixed(at seconds: Int64) -> RingbackClock {
        RingbackClock(wallSeconds: { seconds }, monotonicMilliseconds: system.monotonicMilliseconds)
    }
}
