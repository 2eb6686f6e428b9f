/// Where a callback stands (SPEC §4.1, §6): waiting for a call, or how it ended.
public enum CallbackState: String, Sendable, CaseIterable, Codable {
    case open
    /// A manager's outbound call reached the client.
    case calledBack = "called_back"
    /// The client called again and was answered.
    case clientReachedUs = "client_reached_us"
    /// Closed by hand (`ringback resolve`, the desk's Done).
    case closed
}
