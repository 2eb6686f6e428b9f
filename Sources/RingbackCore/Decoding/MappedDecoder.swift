/// Decodes CSV whose columns a `ColumnMapping` describes: the `mapped` dialect (3CX,
/// Yeastar, Grandstream exports, `cdr_custom`) and the `freeswitch` one (SPEC §1.3).
///
/// Exports without channel columns write one row per call. Their legs get synthetic
/// `Party/<number>` channels, so that call classification tells direction, ringing and
/// answering from the numbers with the same rules as for Asterisk trunks and extensions.
public struct MappedDecoder: CDRDecoder {
    public let mapping: ColumnMapping
    public let zone: ZoneConverter
    private var fields: [FieldSpan] = []
    /// 0-based column of each mapped field; a header-named one once its header row was read.
    private var indexes: [ColumnMapping.Field: Int]
    private var headerSeen = false

    public init(mapping: ColumnMapping, zone: ZoneConverter) {
        self.mapping = mapping
        self.zone = zone
        indexes = mapping.columns.compactMapValues { column in
            if case .position(let position) = column { position - 1 } else { nil }
        }
        fields.reserveCapacity(32)
    }

    public var wantsHeader: Bool { mapping.usesHeader }

    public mutating func decode(_ record: UnsafeBufferPointer<UInt8>) -> Result<CallLeg?, DecodeFailure> {
        if record.count >= 3, record[0] == 0xEF, record[1] == 0xBB, record[2] == 0xBF {
            return decode(UnsafeBufferPointer(rebasing: record[3...]))
        }
        if let failure = CSVFieldScanner.scan(record, separator: mapping.separator, into: &fields) {
            return .failure(DecodeFailure("malformed CSV: \(failure.readable)"))
        }
        if mapping.usesHeader {
            switch readHeader(record) {
            case .header: return .success(nil)
            case .headerLacking(let names):
                return .failure(DecodeFailure("a header row without the mapped column(s) \(names.joined(separator: ", ")); "
                                              + "fix [source.mapping] to match the export"))
            case .row: break
            }
            guard headerSeen else {
                return .failure(DecodeFailure("no header row naming the mapped columns came before this row"))
            }
        } else if isPositionalHeader(record) {
            return .success(nil)
        }
        let needed = (indexes.values.max() ?? 0) + 1
        guard fields.count >= needed else {
            return .failure(DecodeFailure("\(fields.count) columns; the mapping reads column \(needed)"))
        }
        return decodeRow(record).map { Optional($0) }
    }

    /// A row that names every mapped header resolves the columns: each file of a rotation
    /// may start with one, and column order may change between PBX versions.
    private enum HeaderCheck { case header, row, headerLacking([String]) }

    /// A row naming at least half of the mapped headers is a header; one that lacks some of
    /// them means the mapping does not fit the export, which is worth saying plainly.
    private mutating func readHeader(_ record: UnsafeBufferPointer<UInt8>) -> HeaderCheck {
        let names = fields.map { CSVFieldScanner.string(record, $0).trimmingSpaces.lowercased() }
        var resolved = indexes
        var missing: [String] = []
        var found = 0
        for (field, column) in mapping.columns {
            guard case .header(let name) = column else { continue }
            if let index = names.firstIndex(of: name.lowercased()) {
                resolved[field] = index
                found += 1
            } else {
                missing.append("\"\(name)\"")
            }
        }
        missing.sort()
        if missing.isEmpty {
            indexes = resolved
            headerSeen = true
            return .header
        }
        return found * 2 >= found + missing.count ? .headerLacking(missing) : .row
    }

    /// A header above positional columns: no digit in any time or number column.
    private func isPositionalHeader(_ record: UnsafeBufferPointer<UInt8>) -> Bool {
        for field in [ColumnMapping.Field.start, .duration, .billsec] {
            guard let span = span(field) else { continue }
            if UnsafeBufferPointer(rebasing: record[span.start..<span.end]).contains(where: { $0 >= 48 && $0 <= 57 }) {
                return false
            }
        }
        return true
    }

    private func span(_ field: ColumnMapping.Field) -> FieldSpan? {
        guard let index = indexes[field], index < fields.count else { return nil }
        return fields[index]
    }

    private func decodeRow(_ record: UnsafeBufferPointer<UInt8>) -> Result<CallLeg, DecodeFailure> {
        func text(_ field: ColumnMapping.Field) -> String {
            span(field).map { String(CSVFieldScanner.string(record, $0).trimmingSpaces) } ?? ""
        }
        func place(_ field: ColumnMapping.Field) -> String {
            "\(mapping.columns[field]!) (\(field.rawValue))"
        }
        func time(_ field: ColumnMapping.Field) -> Result<Int64?, DecodeFailure> {
            guard let span = span(field) else { return .success(nil) }
            let value = Self.trimmed(record, span)
            if value.isEmpty { return .success(nil) }
            guard let instant = mapping.timestampFormat.instant(value, zone: zone) else {
                return .failure(DecodeFailure("\(place(field)): \"\(text(field))\" does not match the timestamp format \"\(mapping.timestampFormat.text)\""))
            }
            return .success(instant)
        }
        func seconds(_ field: ColumnMapping.Field) -> Result<Int?, DecodeFailure> {
            guard let span = span(field) else { return .success(nil) }
            guard let value = Self.seconds(Self.trimmed(record, span)) else {
                return .failure(DecodeFailure("\(place(field)): \"\(text(field))\" is not a number of seconds or h:mm:ss"))
            }
            return .success(value)
        }
        var leg = CallLeg()
        leg.callerID = text(.clid)
        leg.source = Self.number(in: text(.src))
        leg.destination = Self.number(in: text(.dst))
        leg.destinationContext = text(.dcontext)
        leg.lastApplication = text(.lastapp)
        leg.lastData = text(.lastdata)
        leg.amaFlags = text(.amaflags)
        leg.accountCode = text(.accountcode)
        if mapping.columns[.channel] != nil {
            leg.channel = text(.channel)
            leg.destinationChannel = text(.dstchannel)
        } else {
            leg.channel = ChannelName.party(leg.source)
            leg.destinationChannel = ChannelName.party(leg.destination)
        }
        for (field, keyPath) in [(ColumnMapping.Field.uniqueid, \CallLeg.uniqueID), (.userfield, \.userField),
                                 (.linkedid, \.linkedID)] where mapping.columns[field] != nil {
            leg[keyPath: keyPath] = text(field)
        }
        do throws(DecodeFailure) {
            guard let start = try time(.start).get() else {
                return .failure(DecodeFailure("\(place(.start)) is empty"))
            }
            leg.start = start
            var answer = try time(.answer).get()
            let duration = try seconds(.duration).get()
            let billsec = try seconds(.billsec).get()
            if mapping.columns[.sequence] != nil, !text(.sequence).isEmpty {
                guard let sequence = Int(text(.sequence)) else {
                    return .failure(DecodeFailure("\(place(.sequence)): \"\(text(.sequence))\" is not an integer"))
                }
                leg.sequence = sequence
            }
            let end: Int64
            if let mappedEnd = try time(.end).get() {
                end = mappedEnd
            } else if let elapsed = duration ?? billsec {
                end = start + Int64(elapsed)
            } else {
                return .failure(DecodeFailure("\(place(.end)) is empty"))
            }
            guard end >= start else {
                return .failure(DecodeFailure("end \(text(.end)) is before start \(text(.start))"))
            }
            var disposition = try self.disposition(text(.disposition), answered: answer != nil, billsec: billsec,
                                                   place: place)
            if disposition == .answered, answer == nil {
                if let billsec, billsec > 0 {
                    answer = end - Int64(billsec)
                } else if mapping.columns[.answer] != nil {
                    disposition = .noAnswer  // a "success" word on a row the PBX says nobody answered
                }
            }
            leg.answer = disposition == .answered ? answer ?? end : nil
            leg.end = end
            leg.disposition = disposition
            leg.duration = duration ?? Int(end - start)
            leg.billableSeconds = billsec ?? leg.answer.map { Int(end - $0) } ?? 0
            return .success(leg)
        } catch {
            return .failure(error)
        }
    }

    private func disposition(_ word: String, answered: Bool, billsec: Int?,
                             place: (ColumnMapping.Field) -> String) throws(DecodeFailure) -> Disposition {
        let known = mapping.results[word.lowercased()]
        if mapping.answerDecides {
            if answered { return .answered }
            return known.map { $0 == .answered ? .noAnswer : $0 } ?? .failed
        }
        guard mapping.columns[.disposition] != nil else {
            return answered || (billsec ?? 0) > 0 ? .answered : .noAnswer
        }
        guard let known else {
            throw DecodeFailure("\(place(.disposition)): \"\(word)\" is not in the source's result table ([source.results])")
        }
        return known
    }

    private static func trimmed(_ record: UnsafeBufferPointer<UInt8>, _ span: FieldSpan) -> UnsafeBufferPointer<UInt8> {
        var start = span.start
        var end = span.end
        while start < end, record[start] == 32 { start += 1 }
        while end > start, record[end - 1] == 32 || record[end - 1] == 13 { end -= 1 }
        return UnsafeBufferPointer(rebasing: record[start..<end])
    }

    /// Exports write parties as `Ivan Petrov (101)` or `"Ivan" <101>`: the number is inside.
    static func number(in party: String) -> String {
        guard let last = party.last, last == ")" || last == ">",
              let open = party.lastIndex(of: last == ")" ? "(" : "<") else { return party }
        let inner = party[party.index(after: open)..<party.index(before: party.endIndex)]
        return inner.isEmpty ? party : String(inner)
    }

    /// `42`, `1:05` or `0:01:05`; exports quote numbers or write durations as clock times.
    static func seconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 12 else { return bytes.isEmpty ? 0 : nil }
        var total = 0
        var part = 0
        var digits = 0
        for b in bytes {
            if b == 58 {
                guard digits > 0 else { return nil }
                total = (total + part) * 60
                part = 0
                digits = 0
            } else if b >= 48, b <= 57 {
                part = part * 10 + Int(b - 48)
                digits += 1
            } else {
                return nil
            }
        }
        return digits > 0 ? total + part : nil
    }
}

extension ChannelName {
    /// The stand-in channel of a party in a one-row-per-call export: `Party/<number>`.
    /// Characters that channel-name parsing treats as separators are dropped.
    public static func party(_ number: String) -> String {
        let device = number.filter { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "*" || $0 == "#" }
        return device.isEmpty ? "" : "Party/" + device
    }

    /// A stand-in channel of a one-row-per-call export.
    public var isParty: Bool { technology == "Party" }
}
