/// A source's health as `ringback status` shows it (SPEC §6).
public enum SourceState: String, Sendable, CaseIterable, Codable {
    /// Reading; nothing wrong.
    case ok
    /// An AMI link that is logged in.
    case connected
    /// An AMI link that is down and being tried again.
    case retrying
    /// The PBX refused the AMI login: the secret or the user is wrong.
    case loginRefused = "login refused"
    /// Reading or storing failed; retried.
    case failing
    /// Reading, but more than a minute of written CDRs is still unread (computed by `status`).
    case lagging

    /// Monitoring may page for anything but these.
    public var isHealthy: Bool { self == .ok || self == .connected }
}
