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

/// One SQLite connection. Not thread-safe: one owner uses it (the daemon's pipeline actor,
/// or a CLI command).
public final class SQLiteConnection {
    let handle: OpaquePointer
    public let path: String
    private var statements: [Int: Statement] = [:]

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Void = { _ = ringback_sqlite_disable_memory_statistics() }()

    public init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 5000) throws {
        Self.configured
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close_v2(db) }
            throw StoreError(code: code, message: "cannot open the store \(path): \(message)")
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw StoreError(code: code, message: "\(message) (in: \(sql.prefix(80)))")
        }
    }

    /// A prepared statement, prepared once and cached. Every statement of the project is a
    /// literal (values are bound parameters, never spliced in), so the cache is keyed by the
    /// literal's address: no hashing of the SQL text on the ingest hot path.
    public func prepare(_ sql: StaticString) throws -> Statement {
        let key = Int(bitPattern: sql.utf8Start)
        if let cached = statements[key] {
            cached.reset()
            return cached
        }
        let statement = try compile(sql.description)
        statements[key] = statement
        return statement
    }

    /// A statement whose text is built at run time (table names in `counts()`): not cached.
    func prepareUncached(_ sql: String) throws -> Statement { try compile(sql) }

    private func compile(_ sql: String) throws -> Statement {
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK, let raw else {
            throw StoreError(code: code, message: "\(String(cString: sqlite3_errmsg(handle))) (in: \(sql.prefix(120)))")
        }
        return Statement(raw, connection: self)
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in one IMMEDIATE transaction: all of it is stored, or none.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func error(_ code: Int32, _ sql: String) -> StoreError {
        StoreError(code: code, message: "\(String(cString: sqlite3_errmsg(handle))) (in: \(sql.prefix(120)))")
    }
}

/// A value SQLite stores.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
}

public final class Statement {
    let raw: OpaquePointer
    unowned let connection: SQLiteConnection
    /// The bound texts and blobs of the current execution, side by side. They are bound
    /// SQLITE_STATIC, so SQLite neither allocates nor copies per value; the buffer is only
    /// rewritten by the next `bind`, after the statement has been reset.
    private var boundBytes: [UInt8] = []

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    deinit { sqlite3_finalize(raw) }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    @discardableResult
    public func bind(_ values: [SQLValue]) -> Statement {
        // Filled as a local: a stored property of a class is checked for exclusive access
        // on every touch, which showed in the ingest profile.
        var buffer = boundBytes
        boundBytes = []
        buffer.removeAll(keepingCapacity: true)
        for value in values {
            switch value {
            case .text(let text): buffer.append(contentsOf: text.utf8)
            case .blob(let bytes): buffer.append(contentsOf: bytes)
            case .null, .integer: break
            }
        }
        // Never empty, so every value points into it: a zero-length text still needs a valid
        // non-null pointer, or SQLite binds NULL.
        buffer.append(0)
        defer { boundBytes = buffer }
        buffer.withUnsafeBufferPointer { bytes in
            var cursor = bytes.baseAddress!
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                switch value {
                case .null: sqlite3_bind_null(raw, index)
                case .integer(let v): sqlite3_bind_int64(raw, index, v)
                case .text(let text):
                    let count = text.utf8.count
                    cursor.withMemoryRebound(to: CChar.self, capacity: count) {
                        _ = sqlite3_bind_text64(raw, index, $0, UInt64(count), ringback_sqlite_static(), UInt8(SQLITE_UTF8))
                    }
                    cursor += count
                case .blob(let blob):
                    sqlite3_bind_blob64(raw, index, cursor, UInt64(blob.count), ringback_sqlite_static())
                    cursor += blob.count
                }
            }
        }
        return self
    }

    /// Steps once; true while a row is available.
    public func step() throws -> Bool {
        let code = sqlite3_step(raw)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw connection.error(code, String(cString: sqlite3_sql(raw)))
    }

    public func run(_ values: [SQLValue] = []) throws {
        bind(values)
        while try step() {}
        sqlite3_reset(raw)
    }

    /// Every row, mapped.
    @discardableResult
    public func rows<T>(_ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        bind(values)
        var result: [T] = []
        while try step() { result.append(try map(Row(statement: raw))) }
        sqlite3_reset(raw)
        return result
    }

    public func first<T>(_ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        bind(values)
        defer { sqlite3_reset(raw) }
        return try step() ? try map(Row(statement: raw)) : nil
    }
}

/// The current row of a statement; columns by position.
public struct Row {
    let statement: OpaquePointer

    public func int(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }
    public func optionalInt(_ i: Int32) -> Int64? {
        sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, i)
    }
    public func string(_ i: Int32) -> String {
        guard let text = sqlite3_column_text(statement, i) else { return "" }
        return String(cString: text)
    }
    public func optionalString(_ i: Int32) -> String? {
        sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : string(i)
    }
    public func blob(_ i: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, i))
        guard count > 0, let pointer = sqlite3_column_blob(statement, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

extension SQLValue {
    public init(_ value: String?) { self = value.map { .text($0) } ?? .null }
    public init(_ value: Int64?) { self = value.map { .integer($0) } ?? .null }
    public init(_ value: Int?) { self = value.map { .integer(Int64($0)) } ?? .null }
    public init(_ value: Bool) { self = .integer(value ? 1 : 0) }
}
