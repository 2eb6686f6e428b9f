/// A value the store binds to a statement.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    /// A NULL where an integer or a text would be: SQLite binds a NULL; PostgreSQL is told
    /// the type, which it cannot always infer (`? IS NULL OR alert_id = ?`).
    case nullInteger
    case nullText

    var isNull: Bool {
        switch self {
        case .null, .nullInteger, .nullText: true
        case .integer, .text, .blob: false
        }
    }
}

extension SQLValue {
    init(_ value: String?) { self = value.map { .text($0) } ?? .nullText }
    init(_ value: Int64?) { self = value.map { .integer($0) } ?? .nullInteger }
    init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .nullInteger }
    init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}
