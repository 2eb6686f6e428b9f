/// Where a `mapped` source keeps each CDR field, how it writes times, and what its result
/// words mean (SPEC §1.3). Field names are Asterisk's CDR names, which PBX admins know.
public struct ColumnMapping: Sendable, Equatable {
    public enum Field: String, Sendable, CaseIterable {
        case clid, src, dst, dcontext, channel, dstchannel, lastapp, lastdata
        case start, answer, end, duration, billsec, disposition, amaflags, accountcode
        case uniqueid, userfield, linkedid, sequence
    }

    /// A column by its header name (the file's first row names them) or its 1-based position.
    public enum Column: Sendable, Equatable, CustomStringConvertible {
        case header(String)
        case position(Int)

        public var description: String {
            switch self {
            case .header(let name): "\"\(name)\""
            case .position(let index): "column \(index)"
            }
        }
    }

    public var columns: [Field: Column]
    public var timestampFormat: TimestampFormat
    public var separator: UInt8
    /// The PBX's own result words (compared without case) → disposition.
    public var results: [String: Disposition]
    /// FreeSWITCH-style: answered exactly when the answer time is filled in; the result word
    /// only tells the unanswered apart, and a word not in the table means `failed`.
    public var answerDecides: Bool

    public init(columns: [Field: Column], timestampFormat: TimestampFormat = .pbx, separator: UInt8 = 44,
                results: [String: Disposition] = ColumnMapping.asteriskResults, answerDecides: Bool = false) {
        self.columns = columns
        self.timestampFormat = timestampFormat
        self.separator = separator
        self.results = Dictionary(uniqueKeysWithValues: results.map { ($0.key.lowercased(), $0.value) })
        self.answerDecides = answerDecides
    }

    public var usesHeader: Bool {
        columns.values.contains { if case .header = $0 { true } else { false } }
    }

    public static let asteriskResults: [String: Disposition] = [
        "ANSWERED": .answered, "NO ANSWER": .noAnswer, "NOANSWER": .noAnswer, "BUSY": .busy,
        "FAILED": .failed, "CONGESTION": .congestion, "CANCEL": .cancel,
    ]

    /// What is wrong with the mapping as a whole, for the configuration parser to report.
    public var problem: String? {
        for required in [Field.start, .src, .dst] where columns[required] == nil {
            return "mapping lacks \"\(required.rawValue)\": start, src and dst are required"
        }
        if columns[.end] == nil, columns[.duration] == nil, columns[.billsec] == nil {
            return "mapping needs \"end\", \"duration\" or \"billsec\" to know when a call ended"
        }
        if columns[.disposition] == nil, columns[.answer] == nil, columns[.billsec] == nil {
            return "mapping needs \"disposition\", \"answer\" or \"billsec\" to tell answered calls from missed ones"
        }
        if columns.values.contains(where: { if case .position(let p) = $0 { p < 1 } else { false } }) {
            return "positions count from 1"
        }
        return nil
    }

    /// FreeSWITCH `mod_cdr_csv`'s stock "example" template (SPEC §1.3).
    public static let freeswitchExample = ColumnMapping(
        columns: [.clid: .position(1), .src: .position(2), .dst: .position(3), .dcontext: .position(4),
                  .start: .position(5), .answer: .position(6), .end: .position(7), .duration: .position(8),
                  .billsec: .position(9), .disposition: .position(10), .uniqueid: .position(11),
                  .accountcode: .position(13)],
        results: [
            "USER_BUSY": .busy, "NO_ANSWER": .noAnswer, "NO_USER_RESPONSE": .noAnswer,
            "ORIGINATOR_CANCEL": .noAnswer, "ALLOTTED_TIMEOUT": .noAnswer, "NORMAL_CLEARING": .noAnswer,
            "LOSE_RACE": .noAnswer, "PICKED_OFF": .noAnswer, "CALL_REJECTED": .busy,
        ],
        answerDecides: true)
}
