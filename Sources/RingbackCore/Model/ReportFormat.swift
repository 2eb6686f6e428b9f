/// The report's output formats (SPEC §6): text for the terminal, HTML for mail, CSV and JSON.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, html, csv, json
}

extension ReportFormat {
    /// The media type of a report in this format, for a mail message's `Content-Type`.
    public var mediaType: String {
        switch self {
        case .html: "text/html"
        case .csv: "text/csv"
        case .json: "application/json"
        case .text: "text/plain"
        }
    }
}
