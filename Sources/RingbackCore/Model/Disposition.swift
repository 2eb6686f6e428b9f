/// The outcome Asterisk records for one leg.
public enum Disposition: String, Sendable, CaseIterable {
    case answered = "ANSWERED"
    case noAnswer = "NO ANSWER"
    case busy = "BUSY"
    case failed = "FAILED"
    case congestion = "CONGESTION"
    case cancel = "CANCEL"
    case unknown = "UNKNOWN"

    /// Reads the word as Asterisk writes it; the legacy `NOANSWER` spelling is accepted.
    public init?(asteriskWord word: String) {
        if let value = Disposition(rawValue: word) {
            self = value
        } else if word == "NOANSWER" {
            self = .noAnswer
        } else {
            return nil
        }
    }
}
