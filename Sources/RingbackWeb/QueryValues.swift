import Hummingbird
import HummingbirdCore
import RingbackCore

/// The query of a GET, read into typed values; a value that does not parse is 422 naming it.
struct QueryValues {
    let parameters: FlatDictionary<Substring, Substring>
    let zone: ZoneConverter
    let known: Set<String>

    init(_ request: Request, zone: ZoneConverter, known: Set<String>) throws {
        parameters = request.uri.queryParameters
        self.zone = zone
        self.known = known.union(["at"])
        for (key, _) in parameters where !self.known.contains(String(key)) {
            throw APIError(.badRequest, "unknown query parameter \(key); known: \(self.known.sorted().joined(separator: ", "))",
                           field: String(key))
        }
    }

    /// A parameter's value; an empty one (`manager=`) is as if it were not given.
    func text(_ name: String) -> String? { parameters[Substring(name)].flatMap { $0.isEmpty ? nil : String($0) } }

    /// A time or date (SPEC §5.4): without an offset, in the calendar's zone.
    func time(_ name: String) throws -> Int64? {
        // Present but empty is no time: refused, not taken as absent.
        guard let text = parameters[Substring(name)].map(String.init) else { return nil }
        guard let instant = TimeParsing.instant(text, zone: zone) else {
            throw APIError(.unprocessableContent, "\(name)=\(text) is not a time; write e.g. 2026-03-10T12:00:00+03:00 (send + as %2B)",
                           field: name)
        }
        return instant
    }

    func flag(_ name: String) throws -> Bool {
        switch parameters[Substring(name)].map(String.init) {
        case nil, "false", "0": return false
        case "true", "1", "": return true
        case let other?: throw APIError(.unprocessableContent, "\(name)=\(other) is not true or false", field: name)
        }
    }

    func word<Word: RawRepresentable & CaseIterable>(_ name: String, as type: Word.Type) throws -> Word?
    where Word.RawValue == String {
        guard let text = parameters[Substring(name)].map(String.init) else { return nil }
        guard let word = Word(rawValue: text) else {
            let choices = Word.allCases.map(\.rawValue).joined(separator: ", ")
            throw APIError(.unprocessableContent, "\(name)=\(text) is not one of \(choices)", field: name)
        }
        return word
    }

    /// `at`, else now.
    func at(now: Int64) throws -> Int64 { try time("at") ?? now }
}
