import Foundation
import RingbackCore

/// A value in a listing; rendered the same way in every format.
public enum OutputValue: Sendable {
    case null
    case text(String)
    case integer(Int64)
    case bool(Bool)
    case time(Int64)
}

/// One listed object: named fields in a fixed order (the JSON names of SPEC §6).
public typealias OutputRecord = [(name: String, value: OutputValue)]

public enum OutputFormat: String, CaseIterable, Sendable {
    case table, json, csv
}

/// Renders listings as a table for people, JSON for programs (the CLI's and the API's: the
/// same bytes), CSV for spreadsheets.
public struct OutputRenderer: Sendable {
    public let format: OutputFormat
    public let zone: ZoneConverter

    public init(format: OutputFormat, zone: ZoneConverter) {
        self.format = format
        self.zone = zone
    }

    public func render(_ records: [OutputRecord], columns: [String], emptyMessage: String) -> String {
        switch format {
        case .json: return jsonArray(records)
        case .csv: return csv(records, columns: columns)
        case .table: return records.isEmpty ? emptyMessage + "\n" : table(records, columns: columns)
        }
    }

    public func text(_ value: OutputValue, forTable: Bool) -> String {
        switch value {
        case .null: return forTable ? "-" : ""
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .bool(let b): return forTable ? (b ? "yes" : "no") : (b ? "true" : "false")
        case .time(let t): return forTable ? tableTime(t) : zone.iso8601(t)
        }
    }

    // Plain string building, not `String(format:)`/`padding(toLength:)`: Foundation's
    // formatting took half the time of `pending` on a manager's long list.
    private func tableTime(_ instant: Int64) -> String {
        let c = zone.civil(of: instant)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// One JSON array of objects, the fields in their order (SPEC §6), one object a line.
    /// Appended into one string: an API answer of a thousand callbacks is one allocation
    /// that grows, not a string per field joined at the end.
    public func jsonArray(_ records: [OutputRecord]) -> String {
        if records.isEmpty { return "[]\n" }
        var out = "[\n"
        out.reserveCapacity(records.count * 320)
        for (index, record) in records.enumerated() {
            out += index == 0 ? "  {" : ",\n  {"
            appendFields(record, to: &out)
            out += "}"
        }
        out += "\n]\n"
        return out
    }

    /// One JSON object: an API's answer to a write.
    public func jsonObject(_ record: OutputRecord) -> String {
        var out = "{"
        appendFields(record, to: &out)
        out += "}\n"
        return out
    }

    /// The fields' names are this project's own (SPEC §6): plain words, never escaped.
    private func appendFields(_ record: OutputRecord, to out: inout String) {
        for (index, field) in record.enumerated() {
            if index > 0 { out += ", " }
            out += "\""
            out += field.name
            out += "\": "
            out += jsonValue(field.value)
        }
    }

    private func jsonValue(_ value: OutputValue) -> String {
        switch value {
        case .null: return "null"
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .text(let s): return JSONValue.quoted(s)
        case .time(let t): return JSONValue.quoted(zone.iso8601(t))
        }
    }

    private func csv(_ records: [OutputRecord], columns: [String]) -> String {
        func field(_ s: String) -> String {
            s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var lines = [columns.joined(separator: ",")]
        for record in records {
            let values = Dictionary(record.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            lines.append(columns.map { field(text(values[$0] ?? .null, forTable: false)) }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func table(_ records: [OutputRecord], columns: [String]) -> String {
        let rows = records.map { record -> [String] in
            let values = Dictionary(record.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            return columns.map { text(values[$0] ?? .null, forTable: true) }
        }
        let widths = columns.indices.map { index in
            max(columns[index].count, rows.map { $0[index].count }.max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                if index > 0 { text += "  " }
                text += cell
                if index < cells.count - 1 { text += String(repeating: " ", count: max(0, widths[index] - cell.count)) }
            }
            while text.last == " " { text.removeLast() }
            return text
        }
        return ([line(columns)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
