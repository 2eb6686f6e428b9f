/// Reads the directory files of SPEC §1.4: UTF-8 CSV with a header row; `;` separates
/// several values in one cell. Pure: text in, records and per-line errors out.
public enum DirectoryCSV {
    public struct LineError: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public struct Parsed<Record> {
        public var records: [Record]
        public var errors: [LineError]
        /// The header's columns, lowercased: an optional column absent leaves its value as stored.
        public var columns: Set<String> = []
    }

    /// Rows as dictionaries by header name, or why a row is unreadable; a missing required
    /// column fails the whole file.
    static func rows(_ text: String, required: [String]) throws
        -> (columns: Set<String>, rows: [(line: Int, values: Result<[String: String], LineError>)]) {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var header: [String]?
        var result: [(Int, Result<[String: String], LineError>)] = []
        var fields: [FieldSpan] = []
        var failure: LineError?
        _ = bytes.withUnsafeBufferPointer { buffer in
            LineSplitter.forEachRecord(in: buffer, firstLine: 1, final: true) { record in
                if failure != nil { return }
                if let error = CSVFieldScanner.scan(record.bytes, into: &fields) {
                    if header == nil { failure = LineError(line: record.line, reason: "malformed header: \(error.readable)") }
                    else { result.append((record.line, .failure(LineError(line: record.line, reason: "malformed CSV: \(error.readable)")))) }
                    return
                }
                let values = fields.map { CSVFieldScanner.string(record.bytes, $0).trimmingSpacesString }
                guard let names = header else {
                    header = values.map { $0.lowercased() }
                    return
                }
                if values.allSatisfy(\.isEmpty) { return }
                guard values.count <= names.count else {
                    result.append((record.line, .failure(LineError(
                        line: record.line, reason: "\(values.count) columns; the header has \(names.count)"))))
                    return
                }
                var row: [String: String] = [:]
                for (index, name) in names.enumerated() where index < values.count { row[name] = values[index] }
                result.append((record.line, .success(row)))
            }
        }
        if let failure { throw failure }
        guard let header else { throw LineError(line: 1, reason: "empty file: expected a header row") }
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw LineError(line: 1, reason: "the header lacks \(missing.joined(separator: ", ")); expected \(required.joined(separator: ","))")
        }
        return (Set(header), result)
    }

    static func list(_ cell: String?) -> [String] {
        (cell ?? "").split(separator: ";").map { String($0).trimmingSpacesString }.filter { !$0.isEmpty }
    }

    /// `mobiles` (optional) are external numbers, normalized by `numbers`; `away_until`
    /// (optional) is the last day away, a date in `zone`, kept as the end of that day.
    public static func managers(_ text: String, numbers: NumberPlan, zone: ZoneConverter) throws -> Parsed<Manager> {
        let (columns, rows) = try rows(text, required: ["manager_id", "name", "extensions"])
        var parsed = Parsed<Manager>(records: [], errors: [], columns: columns)
        for (line, values) in rows {
            guard case .success(let row) = values else {
                if case .failure(let error) = values { parsed.errors.append(error) }
                continue
            }
            guard let id = row["manager_id"], !id.isEmpty else {
                parsed.errors.append(LineError(line: line, reason: "manager_id is empty")); continue
            }
            let roleText = (row["role"] ?? "").lowercased()
            guard let role = roleText.isEmpty ? .manager : Manager.Role(rawValue: roleText) else {
                parsed.errors.append(LineError(line: line, reason: "role \"\(roleText)\" is neither manager nor head")); continue
            }
            let activeText = (row["active"] ?? "").trimmingSpacesString.lowercased()
            guard let active = activeText.isEmpty ? true : ["true": true, "yes": true, "1": true, "false": false, "no": false,
                                                            "0": false][activeText] else {
                parsed.errors.append(LineError(line: line, reason: "active \"\(activeText)\" is neither true nor false")); continue
            }
            let awayText = (row["away_until"] ?? "").trimmingSpacesString
            let awayUntil = awayText.isEmpty ? nil : awayEnd(awayText, zone: zone)
            guard awayText.isEmpty || awayUntil != nil else {
                parsed.errors.append(LineError(line: line, reason: "away_until \"\(awayText)\" is not a date like 2026-12-14")); continue
            }
            parsed.records.append(Manager(id: id, name: row["name"] ?? "", extensions: list(row["extensions"]),
                                          login: row["login"] ?? "", email: row["email"] ?? "", role: role,
                                          mobiles: list(row["mobiles"]).compactMap(numbers.normalize), active: active,
                                          awayUntil: awayUntil))
        }
        return parsed
    }

    /// The end of the last day away, `date` (`YYYY-MM-DD`) in `zone`; nil when it is no date.
    public static func awayEnd(_ date: String, zone: ZoneConverter) -> Int64? {
        guard date.count == 10, let start = TimeParsing.instant(date, zone: zone) else { return nil }
        return zone.dayBounds(containing: start).end
    }

    public static func clients(_ text: String, numbers: NumberPlan) throws -> Parsed<Client> {
        let (columns, rows) = try rows(text, required: ["client_id", "name", "phones"])
        var parsed = Parsed<Client>(records: [], errors: [], columns: columns)
        for (line, values) in rows {
            guard case .success(let row) = values else {
                if case .failure(let error) = values { parsed.errors.append(error) }
                continue
            }
            guard let id = row["client_id"], !id.isEmpty else {
                parsed.errors.append(LineError(line: line, reason: "client_id is empty")); continue
            }
            let abcText = (row["abc"] ?? "").uppercased()
            guard abcText.isEmpty || ABCGroup(rawValue: abcText) != nil else {
                parsed.errors.append(LineError(line: line, reason: "abc \"\(abcText)\" is not A, B, C or empty")); continue
            }
            let manager = row["manager_id"].flatMap { $0.isEmpty ? nil : $0 }
            parsed.records.append(Client(id: id, name: row["name"] ?? "", abc: ABCGroup(rawValue: abcText),
                                         phones: list(row["phones"]).compactMap(numbers.normalize), managerID: manager))
        }
        return parsed
    }

    public static func contacts(_ text: String, numbers: NumberPlan, zone: ZoneConverter) throws -> Parsed<Contact> {
        let (columns, rows) = try rows(text, required: ["contact_id", "created_at"])
        var parsed = Parsed<Contact>(records: [], errors: [], columns: columns)
        for (line, values) in rows {
            guard case .success(let row) = values else {
                if case .failure(let error) = values { parsed.errors.append(error) }
                continue
            }
            guard let id = row["contact_id"], !id.isEmpty else {
                parsed.errors.append(LineError(line: line, reason: "contact_id is empty")); continue
            }
            let createdText = row["created_at"] ?? ""
            guard let created = TimeParsing.instant(createdText, zone: zone) else {
                parsed.errors.append(LineError(line: line, reason: "created_at \"\(createdText)\" is not a time like 2026-03-10 09:15:00"))
                continue
            }
            func nonEmpty(_ key: String) -> String? { row[key].flatMap { $0.isEmpty ? nil : $0 } }
            let phone = nonEmpty("phone").flatMap(numbers.normalize)
            guard nonEmpty("client_id") != nil || phone != nil else {
                parsed.errors.append(LineError(line: line, reason: "neither client_id nor phone says who the contact was with"))
                continue
            }
            parsed.records.append(Contact(id: id, createdAt: created, managerID: nonEmpty("manager_id"),
                                          clientID: nonEmpty("client_id"), phone: phone, kind: row["kind"] ?? "",
                                          note: row["note"] ?? ""))
        }
        return parsed
    }
}

extension String {
    var trimmingSpacesString: String { String(trimmingSpaces) }
}
