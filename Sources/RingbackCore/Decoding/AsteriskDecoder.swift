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
    /// The zone's offset in the wall-clock hour of the last time read.
    private var lastHour: (hour: Int64, offset: Int64) = (.min, 0)

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
        let record = Self.withoutByteOrderMark(record)
        switch layout(of: record) {
        case .failure(let failure): return .failure(failure)
        case .success(nil): return .success(nil)
        case .success(let optional?): return decodeFixed(record, optional: optional).map { Optional($0) }
        }
    }

    /// What `decode` would give as the leg's `start`, `end` and `digest`, from the fields the
    /// digest covers alone. Nil when `decode` would not give a leg, or a text the digest covers
    /// is not plain ASCII or has quotes to undo: its bytes are then not sure to be the text
    /// `decode` would make of them, so `decode` decides.
    public mutating func identity(of record: UnsafeBufferPointer<UInt8>) -> RowIdentity? {
        let record = Self.withoutByteOrderMark(record)
        guard case .success(let optional?) = layout(of: record),
              let start = time(record, 9), let end = time(record, 11), end >= start,
              let billsec = integer(record, 13), integer(record, 12) != nil,
              let disposition = Disposition(asteriskWord: CSVFieldScanner.string(record, fields[14]))
        else { return nil }
        if let index = optional.firstIndex(of: .sequence), !fields[16 + index].isEmpty, integer(record, 16 + index) == nil {
            return nil
        }
        var answer: Int64 = -1
        if !fields[10].isEmpty {
            guard let time = time(record, 10) else { return nil }
            answer = time
        }
        @inline(__always) func ascii(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
            let field = fields[i]
            let bytes = UnsafeBufferPointer(rebasing: record[field.start..<field.end])
            return !field.hasEscapes && bytes.allSatisfy({ $0 < 0x80 }) ? bytes : nil
        }
        // The order and fields of `CallLeg.digest`.
        var hasher = LegDigest.Hasher()
        if let index = optional.firstIndex(of: .uniqueid) {
            guard let uniqueID = ascii(16 + index) else { return nil }
            hasher.add(utf8: uniqueID)
        } else {
            hasher.add("")
        }
        guard let channel = ascii(5), let destinationChannel = ascii(6) else { return nil }
        hasher.add(utf8: channel)
        hasher.add(utf8: destinationChannel)
        hasher.add(start)
        hasher.add(answer)
        hasher.add(end)
        hasher.add(disposition.rawValue)
        hasher.add(Int64(billsec))
        return RowIdentity(start: start, end: end, digest: hasher.finish())
    }

    /// A byte-order mark left by an editor or an export tool on the first line.
    private static func withoutByteOrderMark(_ record: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard record.count >= 3, record[0] == 0xEF, record[1] == 0xBB, record[2] == 0xBF else { return record }
        return UnsafeBufferPointer(rebasing: record[3...])
    }

    /// Scans the record's fields and tells which optional columns follow the fixed ones;
    /// nil for a header row.
    private mutating func layout(of record: UnsafeBufferPointer<UInt8>) -> Result<[AsteriskOptionalColumn]?, DecodeFailure> {
        if let failure = CSVFieldScanner.scan(record, into: &fields) {
            return .failure(DecodeFailure("malformed CSV: \(failure.readable)"))
        }
        let count = fields.count
        guard (16...21).contains(count) else {
            return .failure(DecodeFailure("\(count) columns; cdr_csv writes 16 to 21"))
        }
        if Self.isHeader(record, fields) { return .success(nil) }
        if let hint = Self.foreignLayoutHint(record, fields) { return .failure(DecodeFailure(hint)) }
        if let declaredColumns {
            guard declaredColumns.count == count - 16 else {
                return .failure(DecodeFailure(
                    "\(count) columns, but the source's `columns` setting names \(16 + declaredColumns.count)"))
            }
            return .success(declaredColumns)
        }
        switch count {
        case 16: return .success([])
        case 17: return .success(Self.looksLikeUniqueID(record, fields[16]) ? [.uniqueid] : [.userfield])
        case 18: return .success([.uniqueid, .userfield])
        case 19: return .success([.peeraccount, .linkedid, .sequence])
        case 20:
            return .success(Self.looksLikeUniqueID(record, fields[16])
                ? [.uniqueid, .peeraccount, .linkedid, .sequence] : [.userfield, .peeraccount, .linkedid, .sequence])
        default: return .success([.uniqueid, .userfield, .peeraccount, .linkedid, .sequence])
        }
    }

    private mutating func decodeFixed(_ record: UnsafeBufferPointer<UInt8>,
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
    private mutating func time(_ record: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int64? {
        let field = fields[i]
        guard let civil = TimeParsing.pbxTimestamp(UnsafeBufferPointer(rebasing: record[field.start..<field.end]))
        else { return nil }
        // Rows come in about the order of their times: the offset of the last hour asked for
        // mostly answers, without the zone converter's lock (shared with other readers).
        let local = civil.secondsAsIfUTC
        let hour = local >= 0 ? local / 3600 : (local - 3599) / 3600
        if hour == lastHour.hour { return local - lastHour.offset }
        let instant = zone.instant(of: civil)
        lastHour = (hour, local - instant)
        return instant
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
        fields[1].end - fields[1].start == 3 && CSVFieldScanner.string(record, fields[1]).lowercased() == "src"
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
