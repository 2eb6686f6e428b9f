/// How a `[[source]]` reaches the PBX's CDRs (SPEC §1).
public enum SourceKind: String, Sendable, CaseIterable, Codable {
    /// A watched CDR directory (Master.csv and its rotations).
    case spool
    /// The Asterisk Manager Interface, as a client.
    case ami
    /// CSV lines or AMI blocks pushed to a listening socket.
    case socket
    /// A command that reads input itself: `ringback ingest`, `quarantine --retry`. Never a
    /// `[[source]]` of the configuration.
    case command = "cli"
}
