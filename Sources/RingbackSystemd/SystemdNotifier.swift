import CSystemd
import Foundation

/// Tells systemd what the daemon is doing (`Type=notify`). Without `NOTIFY_SOCKET` every
/// call is a no-op, so the daemon runs the same outside systemd.
public struct SystemdNotifier: Sendable {
    public init() {}

    public func ready() { send("READY=1") }
    public func stopping() { send("STOPPING=1") }
    public func status(_ text: String) { send("STATUS=\(text)") }
    public func watchdog() { send("WATCHDOG=1") }

    /// The watchdog interval systemd asked for, if any; pings go out at half of it.
    public var watchdogInterval: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    private func send(_ state: String) { _ = sd_notify(0, state) }
}
