/// When a failed hook call is tried again: 1 s, 2 s, 4 s … capped at 5 minutes, and given up
/// after 10 attempts (about 14 minutes in all), so a broken mail relay fixed within that
/// time still gets every alert, and a permanently broken one does not pile up work.
public struct HookRetryPolicy: Sendable, Equatable {
    public var initialDelay: Int64 = 1
    public var maximumDelay: Int64 = 300
    public var maximumAttempts = 10

    public init() {}

    /// The instant of the next attempt after attempt number `attempt` (from 1) failed at
    /// `now`, or nil when that was the last one.
    public func retryAt(afterAttempt attempt: Int, now: Int64) -> Int64? {
        guard attempt < maximumAttempts else { return nil }
        let shift = min(attempt - 1, 30)
        return now + min(initialDelay << Int64(shift), maximumDelay)
    }
}
