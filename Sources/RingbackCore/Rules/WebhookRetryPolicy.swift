/// When a failed delivery is tried again: after 1 s, then twice as long each time, at most an
/// hour apart, until `give_up_after` hours from when the event was written.
public struct WebhookRetryPolicy: Sendable {
    public var giveUpAfterSeconds: Int64
    public var firstDelay: Int64 = 1
    public var longestDelay: Int64 = 3600

    public init(giveUpAfterHours: Int) { giveUpAfterSeconds = Int64(giveUpAfterHours) * 3600 }

    /// The next attempt's time after `attempts` failed ones, or nil: give up.
    public func retryAt(afterAttempts attempts: Int, writtenAt: Int64, now: Int64) -> Int64? {
        let delay = min(longestDelay, firstDelay << min(Int64(attempts - 1), 40))
        let next = now + delay
        return next <= writtenAt + giveUpAfterSeconds ? next : nil
    }
}
