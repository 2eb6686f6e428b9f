/// Turns one record of a dialect into a leg. Implementations keep scratch buffers, so they
/// are values owned by one reader at a time.
public protocol CDRDecoder {
    /// The leg of a record, `nil` for a record that carries no CDR (a header line), or the
    /// reason it was refused.
    mutating func decode(_ record: UnsafeBufferPointer<UInt8>) -> Result<CallLeg?, DecodeFailure>

    /// Columns are named by the file's header row: a reader that starts in the middle of a
    /// file hands the decoder the file's first line first.
    var wantsHeader: Bool { get }

    /// How records are cut from the input.
    var framing: RecordFraming { get }

    /// The identity of the leg `decode` would give, when the dialect can read it from the
    /// record's bytes more cheaply than the leg itself; nil otherwise (then `decode` decides).
    mutating func identity(of record: UnsafeBufferPointer<UInt8>) -> RowIdentity?
}

extension CDRDecoder {
    public var wantsHeader: Bool { false }
    public var framing: RecordFraming { .lines }
    public mutating func identity(of record: UnsafeBufferPointer<UInt8>) -> RowIdentity? { nil }
}

/// CSV dialects have one record a line; AMI has messages of several lines.
public enum RecordFraming: Sendable {
    case lines
    case amiMessages
}

/// The input formats Ringback reads (SPEC §1).
public enum Dialect: String, Sendable, CaseIterable {
    case asterisk
    case freeswitch
    case mapped
    case ami
}
