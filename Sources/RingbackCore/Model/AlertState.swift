/// Where an alert stands (SPEC §4.5): raised, seen by someone, or over.
public enum AlertState: String, Sendable, CaseIterable, Codable {
    case open
    case acknowledged
    case resolved

    /// The state as of a moment, from when the alert was acknowledged and resolved (nil:
    /// not by then).
    public init(acknowledgedAt: Int64?, resolvedAt: Int64?) {
        self = resolvedAt != nil ? .resolved : acknowledgedAt != nil ? .acknowledged : .open
    }
}
