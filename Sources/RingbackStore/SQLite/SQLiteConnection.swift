import CSQLite
import Foundation

/// One SQLite connection. Not thread-safe: one owner uses it (the daemon's pipeline actor,
/// or a CLI command).
final class SQLiteConnection: TransactionalConnection {
    /// IMMEDIATE: the write lock is taken at once, so a transaction never fails half-way on it.
    let beginWrite = "BEGIN IMMEDIATE"
    let handle: OpaquePointer
    let path: String
    private var statements: [Int: SQLiteStatement] = [:]

    /// Process-wide settings, applied once before the first connection opens.
    private static let configured: Void = { _ = ringback_sqlite_disable_memory_statistics() }()

    init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 5000) throws {
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

    func execute(_ sql: String) throws {
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
    func prepare(_ sql: StaticString) throws -> SQLiteStatement {
        let key = Int(bitPattern: sql.utf8Start)
        if let cached = statements[key] {
            cached.reset()
            return cached
        }
        let statement = try compile(sql.description)
        statements[key] = statement
        return statement
    }

    /// An `INSERT … RETURNING id` prepared without its RETURNING clause (see
    /// `Connection.insert`), cached apart from the statement with it.
    func prepareWithoutReturning(_ sql: StaticString) throws -> SQLiteStatement {
        let key = ~Int(bitPattern: sql.utf8Start)
        if let cached = statements[key] {
            cached.reset()
            return cached
        }
        let text = sql.description
        guard let clause = text.range(of: "RETURNING ", options: .backwards) else {
            throw StoreError(.other, "not an INSERT … RETURNING: \(text.prefix(80))")
        }
        let statement = try compile(String(text[..<clause.lowerBound]))
        statements[key] = statement
        return statement
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// A statement whose text is built at run time (table names in `counts()`): not cached.
    func prepareUncached(_ sql: String) throws -> SQLiteStatement { try compile(sql) }

    private func compile(_ sql: String) throws -> SQLiteStatement {
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK, let raw else {
            throw StoreError(code: code, message: "\(String(cString: sqlite3_errmsg(handle))) (in: \(sql.prefix(120)))")
        }
        return SQLiteStatement(raw, connection: self)
    }

    var changes: Int { Int(sqlite3_changes(handle)) }

    func error(_ code: Int32, _ sql: String) -> StoreError {
        StoreError(code: code, message: "\(String(cString: sqlite3_errmsg(handle))) (in: \(sql.prefix(120)))")
    }
}
