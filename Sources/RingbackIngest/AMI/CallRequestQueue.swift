import RingbackCore

/// The call requests an AMI link sends (SPEC §9.1): claimed from the store, answered into
/// it. The daemon's `StoreWriter` is the one; only the daemon speaks AMI.
public protocol CallRequestQueue: Sendable {
    /// The queued requests, marked sent (those queued too long fail instead).
    func claimCallRequests() async throws -> [CallRequest]
    func finishCallRequest(_ id: Int64, connected: Bool, reason: String?) async throws
    /// Sent requests unanswered past their ringing time and `grace` s (nil: all of them).
    func failSentCallRequests(olderThanTimeoutPlus grace: Int64?, reason: String) async throws
    /// The originated channel's `DialEnd`: the call's talk counts from an `ANSWER`.
    func recordDialEnd(ofCallRequest id: Int64, status: String) async throws
}
