import RingbackConfig
import RingbackCore

/// How one input is read: its source name (for checkpoints, status and quarantine), its
/// dialect and the zone of its timestamps.
public struct SourceContext: Sendable {
    public var name: String
    public var kind: String
    public var dialect: Dialect
    public var columns: [AsteriskOptionalColumn]?
    public var timeZone: String

    public init(name: String, kind: String, dialect: Dialect, columns: [AsteriskOptionalColumn]?, timeZone: String) {
        self.name = name
        self.kind = kind
        self.dialect = dialect
        self.columns = columns
        self.timeZone = timeZone
    }

    public init(_ source: SourceConfiguration, configuration: RingbackConfiguration) {
        self.init(name: source.name, kind: source.kind.rawValue, dialect: source.dialect, columns: source.columns,
                  timeZone: source.timeZone ?? configuration.calendar.timeZone)
    }

    /// A decoder for this source's dialect, or why there is none.
    public func makeDecoder() throws -> any CDRDecoder {
        guard let zone = ZoneConverter(identifier: timeZone) else {
            throw IngestError.unsupported("unknown time zone \"\(timeZone)\"")
        }
        switch dialect {
        case .asterisk: return AsteriskDecoder(columns: columns, zone: zone)
        case .freeswitch, .mapped, .ami:
            throw IngestError.unsupported("dialect \"\(dialect.rawValue)\" is not supported by this version yet; "
                                          + "use \"asterisk\" (cdr_csv Master.csv)")
        }
    }
}

public enum IngestError: Error, CustomStringConvertible {
    case unsupported(String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .unsupported(let reason): reason
        case .unreadable(let path, let reason): "\(path): \(reason)"
        }
    }
}
