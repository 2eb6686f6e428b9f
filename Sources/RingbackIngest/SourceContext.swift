import RingbackConfig
import RingbackCore

/// How one input is read: its source name (for checkpoints, status and quarantine), its
/// dialect and the zone of its timestamps.
public struct SourceContext: Sendable {
    public var name: String
    public var kind: SourceKind
    public var dialect: Dialect
    public var columns: [AsteriskOptionalColumn]?
    /// The zone of the source's timestamps.
    public var zone: ZoneConverter
    /// The `mapped` dialect's column map.
    public var mapping: ColumnMapping?

    public init(name: String, kind: SourceKind, dialect: Dialect, columns: [AsteriskOptionalColumn]?, zone: ZoneConverter,
                mapping: ColumnMapping? = nil) {
        self.name = name
        self.kind = kind
        self.dialect = dialect
        self.columns = columns
        self.zone = zone
        self.mapping = mapping
    }

    public init(_ source: SourceConfiguration, configuration: RingbackConfiguration) {
        self.init(name: source.name, kind: source.kind, dialect: source.dialect, columns: source.columns,
                  zone: source.timeZone ?? configuration.calendar.zone, mapping: source.mapping)
    }

    /// A decoder for this source's dialect, or why there is none.
    public func makeDecoder() throws -> any CDRDecoder {
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
