/// Why a record could not be decoded: the reason a person reads in `ringback quarantine`.
public struct DecodeFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Where a rejected record came from, and why.
public struct RejectedRecord: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var reason: String
    public var raw: [UInt8]

    public init(file: String, line: Int, reason: String, raw: [UInt8]) {
        self.file = file
        self.line = line
        self.reason = reason
        self.raw = raw
    }
}
