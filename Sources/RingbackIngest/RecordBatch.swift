import RingbackCore
import RingbackStore

/// The decoded records of one read of one file, and where the read ended.
public struct RecordBatch: Sendable {
    public var source: SourceContext
    public var file: String
    /// The decoded legs with their identity (computed here, off the pipeline's thread when
    /// a file is decoded ahead).
    public var legs: [(leg: CallLeg, line: Int, digest: LegDigest)] = []
    /// The latest CDR end among the legs: how far the data of this read reaches.
    public private(set) var latestEnd: Int64?
    public var rejected: [RejectedRecord] = []
    /// The read position to commit with these rows.
    public var checkpoint: (fileKey: String, position: Checkpoint)?
    /// Bytes known to be written but not read yet (for `status`).
    public var pendingBytes: Int64 = 0
    /// More input follows at once (the rest of a file being read, further files): the last
    /// call is held for it and time-based alerts wait for it. A half-written last line is
    /// not such input, so it never holds alerts back.
    public var moreToRead = false
    /// Quarantined rows this batch reads again (`quarantine --retry`): they leave the
    /// quarantine in the batch's transaction, so a failed commit keeps them there.
    public var quarantineIDs: [Int64] = []
    /// Rows found stored already while decoding (`storedAlready`), left out of `legs`.
    public var storedDuplicates = 0

    public init(source: SourceContext, file: String) {
        self.source = source
        self.file = file
    }

    /// Decodes every complete record in `buffer`; returns the bytes and lines consumed.
    /// Records whose identity `storedAlready` knows are counted, not decoded: a re-read of a
    /// file builds no leg for the rows it stored before. It is asked once for the whole read
    /// (the identities of its records, in order; the answer says which are stored).
    @discardableResult
    public mutating func decode(_ buffer: UnsafeBufferPointer<UInt8>, firstLine: Int, final: Bool,
                                decoder: inout any CDRDecoder,
                                storedAlready: (([RowIdentity]) -> [Bool])? = nil) -> (consumed: Int, lines: Int) {
        func handle(_ record: RecordSlice) {
            guard record.bytes.count <= LineSplitter.maximumRecordLength else {
                rejected.append(RejectedRecord(file: file, line: record.line,
                                               reason: "record of \(record.bytes.count) bytes; the limit is 64 KiB",
                                               raw: Array(record.bytes.prefix(1024))))
                return
            }
            switch decoder.decode(record.bytes) {
            case .success(let leg?):
                legs.append((leg, record.line, leg.digest))
                latestEnd = max(latestEnd ?? .min, leg.end)
            case .success(nil): break
            case .failure(let failure):
                rejected.append(RejectedRecord(file: file, line: record.line, reason: failure.reason, raw: Array(record.bytes)))
            }
        }
        if let storedAlready, decoder.framing == .lines {
            // First the records and what identities their bytes give, then one question for
            // all of them, then the records not stored decoded in order.
            var records: [(record: RecordSlice, identity: RowIdentity?)] = []
            let read = LineSplitter.forEachRecord(in: buffer, firstLine: firstLine, final: final) { record in
                let short = record.bytes.count <= LineSplitter.maximumRecordLength
                records.append((record, short ? decoder.identity(of: record.bytes) : nil))
            }
            let identified = records.compactMap(\.identity)
            var stored = (identified.isEmpty ? [] : storedAlready(identified)).makeIterator()
            for (record, identity) in records {
                if let identity, stored.next() == true {
                    storedDuplicates += 1
                    latestEnd = max(latestEnd ?? .min, identity.end)
                } else {
                    handle(record)
                }
            }
            return read
        }
        switch decoder.framing {
        case .lines: return LineSplitter.forEachRecord(in: buffer, firstLine: firstLine, final: final, handle)
        case .amiMessages: return AMIFramer.forEachMessage(in: buffer, firstLine: firstLine, final: final, handle)
        }
    }
}

extension RecordBatch {
    /// Decodes the complete records at the front of a connection's `buffer` and removes
    /// them, moving `line` on; returns the bytes taken.
    @discardableResult
    public mutating func take(from buffer: inout [UInt8], line: inout Int, final: Bool,
                              decoder: inout any CDRDecoder) -> Int {
        let (consumed, lines) = buffer.withUnsafeBufferPointer {
            decode($0, firstLine: line, final: final, decoder: &decoder)
        }
        buffer.removeFirst(consumed)
        line += lines
        return consumed
    }
}

/// What one committed batch did.
public struct BatchResult: Sendable, Equatable {
    public var stored = 0
    public var duplicates = 0
    public var rejected = 0
    public var calls = 0
    public var alerts = 0
    /// Calls judged without the row of the channel that started them (`max_hold` ran out).
    public var incompleteCalls: [String] = []
    /// Numbers whose calls were judged again (a late row, rows in another order than the
    /// calls started).
    public var rejudgedNumbers = 0
    public init() {}

    /// Adds up the counts of several batches (one file's, one run's).
    public mutating func add(_ other: BatchResult) {
        stored += other.stored
        duplicates += other.duplicates
        rejected += other.rejected
        calls += other.calls
        alerts += other.alerts
        incompleteCalls += other.incompleteCalls
        rejudgedNumbers += other.rejudgedNumbers
    }
}
