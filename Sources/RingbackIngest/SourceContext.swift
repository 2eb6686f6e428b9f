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
    /// The `mapped` dialect's column map.
    public var mapping: ColumnMapping?

    public init(name: String, kind: String, dialect: Dialect, columns: [AsteriskOptionalColumn]?, timeZone: String,
                mapping: ColumnMapping? = nil) {
        self.name = name
        self.kind = kind
        self.dialect = dialect
        self.columns = columns
        self.timeZone = timeZone
        self.mapping = mapping
    }

    public init(_ source: SourceConfiguration, configuration: RingbackConfiguration) {
        self.init(name: source.name, kind: source.kind.rawValue, dialect: source.dialect, columns: source.columns,
                  timeZone: source.timeZone ?? configuration.calendar.timeZone, mapping: source.mapping)
    }

    /// A decoder for this source's dialect, or why there is none.
    public func makeDecoder() throws -> any CDRDecoder {
        guard let zone = ZoneConverter(identifier: timeZone) else {
            throw IngestError.unsupported("unknown time zone \"\(timeZone)\"")
        }
        switch dialect {
        case .asterisk: return AsteriskDecoder(columns: columns, zone: zone)
        case .freeswitch: return MappedDecoder(mapping: .freeswitchExample, zone: zone)
        case .mapped:
            guard let mapping else {
                throw IngestError.unsupported("dialect \"mapped\" needs a column map: read the file through a "
                                              + "configured source with a [source.mapping] table")
            }
            return MappedDecoder(mapping: mapping, zone: zone)
        case .ami: return AMIDecoder(zone: zone)
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
