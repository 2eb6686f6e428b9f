/// The optional columns `cdr_csv` may append after the 16 fixed ones, in their fixed order.
public enum AsteriskOptionalColumn: String, Sendable, CaseIterable {
    case uniqueid, userfield, peeraccount, linkedid, sequence
}

/// Decodes `Master.csv` as `cdr_csv` writes it (SPEC §1.1): 16 fixed columns, then
/// `uniqueid` and/or `userfield`, then `peeraccount, linkedid, sequence` together.
public struct AsteriskDecoder: CDRDecoder {
    /// `nil`: tell the layout from the column count (and the shape of column 17).
    public let declaredColumns: [AsteriskOptionalColumn]?
    public let zone: ZoneConverter
    private var fields: [FieldSpan] = []

    public init(columns: [AsteriskOptionalColumn]? = nil, zone: ZoneConverter) {
        declaredColumns = columns
        self.zone = zone
        fields.reserveCapacity(32)
    }

    /// The column orders `columns = [...]` may name.
    public static let validLayouts: [[AsteriskOptionalColumn]] = [
        [], [.uniqueid], [.userfield], [.uniqueid, .userfield],
        [.peeraccount, .linkedid, .sequence],
        [.uniqueid, .peeraccount, .linkedid, .sequence], [.userfield, .peeraccount, .linkedid, .sequence],
        [.uniqueid, .userfield, .peeraccount, .linkedid, .sequence],
    ]

    public mutating func decode(_ record: UnsafeBufferPointer<UInt8>) -> Result<CallLeg?, DecodeFailure> {
        // A byte-order mark left by an editor or an export tool on the first line.
        if record.count >= 3, record[0] == 0xEF, record[1] == 0xBB, record[2] == 0xBF {
            return decode(UnsafeBufferPointer(rebasing: record[3...]))
        }
        if let failure = CSVFieldScanner.scan(record, into: &fields) {
            return .failure(DecodeFailure("malformed CSV: \(failure.readable)"))
        }
        let count = fields.count
        guard (16...21).contains(count) else {
            return .failure(DecodeFailure("\(count) columns; cdr_csv writes 16 to 21"))
        }
        if Self.isHeader(record, fields) { return .success(nil) }
        if let hint = Self.foreignLayoutHint(record, fields) { return .failure(DecodeFailure(hint)) }
        let optional: [AsteriskOptionalColumn]
        if let declaredColumns {
            guard declaredColumns.count == count - 16 else {
                return .failure(DecodeFailure(
                    "\(count) columns, but the source's `columns` setting names \(16 + declaredColumns.count)"))
            }
            optional = declaredColumns
        } else {
            switch count {
            case 16: optional = []
            case 17: optional = Self.looksLikeUniqueID(record, fields[16]) ? [.uniqueid] : [.userfield]
            case 18: optional = [.uniqueid, .userfield]
            case 19: optional = [.peeraccount, .linkedid, .sequence]
            case 20:
                optional = Self.looksLikeUniqueID(record, fields[16])
                    ? [.uniqueid, .peeraccount, .linkedid, .sequence] : [.userfield, .peeraccount, .linkedid, .sequence]
            default: optional = [.uniqueid, .userfield, .peeraccount, .linkedid, .sequence]
            }
        }
        return decodeFixed(record, optional: optional).map { Optional($0) }
    }

    private func decodeFixed(_ record: UnsafeBufferPointer<UInt8>,
                             optional: [AsteriskOptionalColumn]) -> Result<CallLeg, DecodeFailure> {
        @inline(__always) func text(_ i: Int) -> String { CSVFieldScanner.string(record, fields[i]) }
        var leg = CallLeg()
        leg.accountCode = text(0)
        leg.source = text(1)
        leg.destination = text(2)
        leg.destinationContext = text(3)
        leg.callerID = text(4)
        leg.channel = text(5)
        leg.destinationChannel = text(6)
        leg.lastApplication = text(7)
        leg.lastData = text(8)
        guard let start = time(record, 9) else { return .failure(timeFailure(record, 9, "start")) }
        leg.start = start
        if !fields[10].isEmpty {
            guard let answer = time(record, 10) else { return .failure(timeFailure(record, 10, "answer")) }
            leg.answer = answer
        }
        guard let end = time(record, 11) else { return .failure(timeFailure(record, 11, "end")) }
        leg.end = end
        guard let duration = integer(record, 12) else { return .failure(integerFailure(record, 12, "duration")) }
        guard let billsec = integer(record, 13) else { return .failure(integerFailure(record, 13, "billsec")) }
        leg.duration = duration
        leg.billableSeconds = billsec
        let word = text(14)
        guard let disposition = Disposition(asteriskWord: word) else {
            return .failure(DecodeFailure("column 15 (disposition): unknown value \"\(word)\""))
        }
        leg.disposition = disposition
        leg.amaFlags = text(15)
        guard leg.end >= leg.start else {
            return .failure(DecodeFailure("end \(text(11)) is before start \(text(9))"))
        }
        for (offset, column) in optional.enumerated() {
            let index = 16 + offset
            switch column {
            case .uniqueid: leg.uniqueID = text(index)
            case .userfield: leg.userField = text(index)
            case .peeraccount: leg.peerAccount = text(index)
            case .linkedid: leg.linkedID = text(index)
            case .sequence:
                if fields[index].isEmpty { break }
                guard let sequence = integer(record, index) else {
                    return .failure(integerFailure(record, index, "sequence"))
                }
                leg.sequence = sequence
            }
        }
        return .success(leg)
    }

    @inline(__always)
    private func time(_ record: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int64? {
        let field = fields[i]
        guard let civil = TimeParsing.pbxTimestamp(UnsafeBufferPointer(rebasing: record[field.start..<field.end]))
        else { return nil }
        return zone.instant(of: civil)
    }

    /// Unquoted non-negative decimal, as `cdr_csv` writes its integers.
    @inline(__always)
    private func integer(_ record: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        let field = fields[i]
        guard !field.quoted, !field.isEmpty, field.end - field.start <= 12 else { return nil }
        var value = 0
        for index in field.start..<field.end {
            let b = record[index]
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    private func timeFailure(_ record: UnsafeBufferPointer<UInt8>, _ i: Int, _ name: String) -> DecodeFailure {
        DecodeFailure("column \(i + 1) (\(name)): \"\(CSVFieldScanner.string(record, fields[i]))\" is not a YYYY-MM-DD HH:MM:SS time")
    }

    private func integerFailure(_ record: UnsafeBufferPointer<UInt8>, _ i: Int, _ name: String) -> DecodeFailure {
        let field = fields[i]
        let value = CSVFieldScanner.string(record, field)
        if field.quoted, Int(value) != nil {
            return DecodeFailure("column \(i + 1) (\(name)) is quoted; cdr_csv writes integers unquoted")
        }
        return DecodeFailure("column \(i + 1) (\(name)): \"\(value)\" is not a non-negative integer")
    }

    /// `[name-]digits.digits`, e.g. `1700000000.42` or `pbx1-1700000000.42`.
    static func looksLikeUniqueID(_ record: UnsafeBufferPointer<UInt8>, _ field: FieldSpan) -> Bool {
        guard !field.isEmpty else { return false }
        var index = field.end - 1
        var fraction = 0
        while index >= field.start, record[index] >= 48, record[index] <= 57 { fraction += 1; index -= 1 }
        guard fraction > 0, index > field.start, record[index] == 46 else { return false }
        index -= 1
        var seconds = 0
        while index >= field.start, record[index] >= 48, record[index] <= 57 { seconds += 1; index -= 1 }
        guard seconds > 0 else { return false }
        return index < field.start || record[index] == 45
    }

    /// A header row naming cdr_csv's columns, as export tools add: not a CDR.
    static func isHeader(_ record: UnsafeBufferPointer<UInt8>, _ fields: [FieldSpan]) -> Bool {
        CSVFieldScanner.string(record, fields[1]).lowercased() == "src"
            && CSVFieldScanner.string(record, fields[9]).lowercased() == "start"
    }

    /// `cdr_custom`'s stock template puts `clid` first and a channel fifth; naming it beats
    /// reporting whichever column happens to fail first.
    static func foreignLayoutHint(_ record: UnsafeBufferPointer<UInt8>, _ fields: [FieldSpan]) -> String? {
        // Cheap test first: this runs for every row, and a cdr_csv row's accountcode rarely
        // ends in `>`.
        guard !fields[0].isEmpty, record[fields[0].end - 1] == UInt8(ascii: ">") else { return nil }
        let first = CSVFieldScanner.string(record, fields[0])
        let fifth = CSVFieldScanner.string(record, fields[4])
        let sixth = CSVFieldScanner.string(record, fields[5])
        let ninth = fields[8]
        let ninthIsTime = TimeParsing.pbxTimestamp(UnsafeBufferPointer(rebasing: record[ninth.start..<ninth.end])) != nil
        if first.contains("<"), first.hasSuffix(">"), fifth.contains("/"), ninthIsTime, ChannelName(sixth) != nil || sixth.isEmpty {
            return "looks like cdr_custom's Master.csv template (clid first, accountcode 16th), not cdr_csv: "
                + "read it with dialect \"mapped\" and the cdr_custom preset"
        }
        return nil
    }
}

extension CSVFieldScanner.Failure {
    var readable: String {
        switch self {
        case .unterminatedQuote(let column): "column \(column) opens a quote that never closes"
        case .textAfterClosingQuote(let column): "text after the closing quote of column \(column)"
        case .quoteInsideUnquotedField(let column): "a quote inside unquoted column \(column)"
        }
    }
}
