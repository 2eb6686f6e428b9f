/// The report's output formats (SPEC §6): text for the terminal, HTML for mail, CSV and JSON.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text, html, csv, json
}
