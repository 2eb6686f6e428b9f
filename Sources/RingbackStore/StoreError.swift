import CSQLite
import Foundation

/// A failed store call, with the statement and the backend's own message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        case cannotOpen, busy, full, constraint, corrupt, other
        /// The connection to a PostgreSQL server was lost in the middle of a statement.
        case unreachable
    }
    public var kind: Kind
    public var message: String
    /// PostgreSQL's error code (SQLSTATE), when the server gave one.
    public var sqlState: String?
    public var description: String {
        switch kind {
        case .full: "the disk holding the store is full (\(message)): reading is paused and resumes when there is room"
        case .busy: "the store is locked by another program (\(message)): this batch is read again when it is free"
        default: message
        }
    }

    init(code: Int32, message: String) {
        switch code & 0xff {
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_NOTADB, SQLITE_AUTH: kind = .cannotOpen
        case SQLITE_BUSY, SQLITE_LOCKED: kind = .busy
        case SQLITE_FULL: kind = .full
        case SQLITE_CONSTRAINT: kind = .constraint
        case SQLITE_CORRUPT: kind = .corrupt
        default: kind = .other
        }
        self.message = message
    }

    /// A PostgreSQL error, by its SQLSTATE class.
    init(sqlState: String, message: String) {
        switch sqlState.prefix(2) {
        case "23": kind = .constraint
        // serialization failure, deadlock, lock not available: the batch is tried again
        case "40", "55": kind = .busy
        case "53": kind = .full
        case "08", "28", "3D": kind = .cannotOpen
        case "XX": kind = .corrupt
        default: kind = .other
        }
        self.message = message
        self.sqlState = sqlState
    }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
