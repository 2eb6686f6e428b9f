/// How long the AMI client waits before connecting again: doubling from `initial` up to
/// `maximum`, with jitter so that several Ringbacks do not knock in step. A refused login
/// starts from a longer pause: a wrong secret must not hammer the PBX (or trip its
/// fail2ban).
public struct ReconnectPolicy: Sendable {
    public var initial: Duration = .seconds(1)
    public var maximum: Duration = .seconds(60)
    public var refusedInitial: Duration = .seconds(30)
    public var refusedMaximum: Duration = .seconds(600)
    /// A factor in [0.5, 1]: the share of the full pause actually waited.
    public var jitter: @Sendable () -> Double = { Double.random(in: 0.5...1) }

    public init() {}

    /// The pause after the `failures`-th failure in a row (from 1).
    public func delay(afterFailures failures: Int, loginRefused: Bool) -> Duration {
        let (base, cap) = loginRefused ? (refusedInitial, refusedMaximum) : (initial, maximum)
        var full = base
        for _ in 1..<max(failures, 1) where full < cap { full *= 2 }
        return min(full, cap) * jitter()
    }
}
