import CSQLite

/// A prepared statement of a `SQLiteConnection`: bind, step, map rows.
final class SQLiteStatement {
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
    func bind(_ values: [SQLValue]) -> SQLiteStatement {
        // Filled as a local: a stored property of a class is checked for exclusive access
        // on every touch, which showed in the ingest profile.
        var buffer = boundBytes
        boundBytes = []
        buffer.removeAll(keepingCapacity: true)
        for value in values {
            switch value {
            case .text(let text): buffer.append(contentsOf: text.utf8)
            case .blob(let bytes): buffer.append(contentsOf: bytes)
            case .null, .nullInteger, .nullText, .integer: break
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
                case .null, .nullInteger, .nullText: sqlite3_bind_null(raw, index)
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
    func step() throws -> Bool {
        let code = sqlite3_step(raw)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw connection.error(code, String(cString: sqlite3_sql(raw)))
    }

    func run(_ values: [SQLValue] = []) throws {
        bind(values)
        while try step() {}
        sqlite3_reset(raw)
    }

    /// Every row, mapped.
    @discardableResult
    func rows<T>(_ values: [SQLValue] = [], _ map: (SQLiteRow) throws -> T) throws -> [T] {
        bind(values)
        var result: [T] = []
        while try step() { result.append(try map(SQLiteRow(statement: raw))) }
        sqlite3_reset(raw)
        return result
    }

    func first<T>(_ values: [SQLValue] = [], _ map: (SQLiteRow) throws -> T) throws -> T? {
        bind(values)
        defer { sqlite3_reset(raw) }
        return try step() ? try map(SQLiteRow(statement: raw)) : nil
    }
}
