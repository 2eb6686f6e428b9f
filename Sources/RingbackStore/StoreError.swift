import CSQLite
import Foundation

/// A failed SQLite call, with the statement and SQLite's own message.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case cannotOpen, busy, full, constraint, corrupt, other }
    public var kind: Kind
    public var message: String
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

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
