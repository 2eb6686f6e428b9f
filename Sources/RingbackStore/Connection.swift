import RingbackCore

/// The store's connection to either backend. The store's statements are written once, in
/// the SQL both understand (SQLite's `?` placeholders, translated for PostgreSQL); the few
/// that differ are given per backend (`prepare(sqlite:postgres:)`). A switch per statement
/// rather than a protocol: the ingest loop's SQLite calls stay direct.
enum Connection {
    case sqlite(SQLiteConnection)
    case postgres(PostgresConnection)

    var isPostgres: Bool {
        if case .postgres = self { true } else { false }
    }

    func execute(_ sql: String) throws {
        switch self {
        case .sqlite(let c): try c.execute(sql)
        case .postgres(let c): try c.execute(sql)
        }
    }

    func prepare(_ sql: StaticString) throws -> Statement {
        switch self {
        case .sqlite(let c): .sqlite(try c.prepare(sql))
        case .postgres(let c): .postgres(c.prepare(sql))
        }
    }

    /// A statement whose SQL differs between the backends.
    func prepare(sqlite: StaticString, postgres: StaticString) throws -> Statement {
        switch self {
        case .sqlite(let c): .sqlite(try c.prepare(sqlite))
        case .postgres(let c): .postgres(c.prepare(postgres))
        }
    }

    /// A statement whose text is built at run time (table names in `counts()`): not cached.
    func prepareUncached(_ sql: String) throws -> Statement {
        switch self {
        case .sqlite(let c): .sqlite(try c.prepareUncached(sql))
        case .postgres(let c): .postgres(c.prepareUncached(sql))
        }
    }

    /// Runs an `INSERT … RETURNING id` and answers that id; nil when it inserted nothing
    /// (`ON CONFLICT DO NOTHING`). SQLite runs it without the clause and answers the rowid it
    /// inserted: its RETURNING collects the rows in a temporary table first, whose setting up
    /// was a tenth of a backfill's time (malloc, page copies: 1 M rows, about 2 s).
    func insert(_ sql: StaticString, _ values: [SQLValue]) throws -> Int64? {
        switch self {
        case .sqlite(let c):
            try c.prepareWithoutReturning(sql).run(values)
            return c.changes == 1 ? c.lastInsertRowID : nil
        case .postgres(let c):
            return try c.prepare(sql).first(values) { $0.int(0) }
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int {
        switch self {
        case .sqlite(let c): c.changes
        case .postgres(let c): c.changes
        }
    }

    /// All of `body` is stored, or none. SQLite's is IMMEDIATE (it takes the write lock at
    /// once, so it never fails half-way on a lock); PostgreSQL's is READ COMMITTED, the rules
    /// for one number serialized by a lock on it.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        switch self {
        case .sqlite(let c): try c.transaction(body)
        case .postgres(let c): try c.transaction(body)
        }
    }

    /// One snapshot for everything read until `endReading`.
    func beginReading() throws {
        switch self {
        case .sqlite(let c): try c.execute("BEGIN DEFERRED")
        case .postgres(let c): try c.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        }
    }
}

/// Both connections run a transaction the same way.
protocol TransactionalConnection: AnyObject {
    func execute(_ sql: String) throws
    /// What opens a write transaction.
    var beginWrite: String { get }
}

extension TransactionalConnection {
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute(beginWrite)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement of either backend.
enum Statement {
    case sqlite(SQLiteStatement)
    case postgres(PostgresStatement)

    func run(_ values: [SQLValue] = []) throws {
        switch self {
        case .sqlite(let s): try s.run(values)
        case .postgres(let s): try s.run(values)
        }
    }

    /// Every row, mapped.
    @discardableResult
    func rows<T>(_ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> [T] {
        switch self {
        case .sqlite(let s): try s.rows(values) { try map(.sqlite($0)) }
        case .postgres(let s): try s.rows(values) { try map(.postgres($0)) }
        }
    }

    func first<T>(_ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        switch self {
        case .sqlite(let s): try s.first(values) { try map(.sqlite($0)) }
        case .postgres(let s): try s.first(values) { try map(.postgres($0)) }
        }
    }
}

/// One row of a result, of either backend; columns by position.
enum Row {
    case sqlite(SQLiteRow)
    case postgres(PostgresRow)

    func int(_ i: Int32) -> Int64 {
        switch self {
        case .sqlite(let r): r.int(i)
        case .postgres(let r): r.int(i)
        }
    }

    func optionalInt(_ i: Int32) -> Int64? {
        switch self {
        case .sqlite(let r): r.optionalInt(i)
        case .postgres(let r): r.optionalInt(i)
        }
    }

    func string(_ i: Int32) -> String {
        switch self {
        case .sqlite(let r): r.string(i)
        case .postgres(let r): r.string(i)
        }
    }

    func optionalString(_ i: Int32) -> String? {
        switch self {
        case .sqlite(let r): r.optionalString(i)
        case .postgres(let r): r.optionalString(i)
        }
    }

    func blob(_ i: Int32) -> [UInt8] {
        switch self {
        case .sqlite(let r): r.blob(i)
        case .postgres(let r): r.blob(i)
        }
    }

    /// A leg's digest as `LegDigest.bytes` stores it; nil for anything else.
    func digest(_ i: Int32) -> LegDigest? {
        switch self {
        case .sqlite(let r): r.digest(i)
        case .postgres(let r): r.digest(i)
        }
    }

    /// A column holding one of the words of a Core enum (an alert's kind, a callback's
    /// state). A word this build does not know means the store was written by something
    /// else: an error, never a silent default.
    func word<Word: RawRepresentable>(_ i: Int32, as type: Word.Type = Word.self) throws -> Word where Word.RawValue == String {
        let text = string(i)
        guard let word = Word(rawValue: text) else {
            throw StoreError(.corrupt, "the store holds \"\(text)\" where a \(Word.self) was expected: "
                             + "it was written by another program or a newer build")
        }
        return word
    }
}
