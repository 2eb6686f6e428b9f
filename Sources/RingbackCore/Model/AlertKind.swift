/// The kinds of alert (SPEC §4.5); the raw values are the store's and the JSON's words.
public enum AlertKind: String, Sendable, CaseIterable, Codable {
    case missedCall = "missed_call"
    case callbackOverdue = "callback_overdue"
    case noContact = "no_contact"
    /// No CDR from any source for `[alerts] pbx_silent_after` minutes of working time.
    case pbxSilent = "pbx_silent"
}
