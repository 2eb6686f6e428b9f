import CSQLite
import RingbackCore

/// The current row of an SQLite statement; columns by position.
struct SQLiteRow {
    let statement: OpaquePointer

    func int(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }
    func optionalInt(_ i: Int32) -> Int64? {
        sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, i)
    }
    func string(_ i: Int32) -> String {
        guard let text = sqlite3_column_text(statement, i) else { return "" }
        return String(cString: text)
    }
    func optionalString(_ i: Int32) -> String? {
        sqlite3_column_type(statement, i) == SQLITE_NULL ? nil : string(i)
    }
    func blob(_ i: Int32) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, i))
        guard count > 0, let pointer = sqlite3_column_blob(statement, i) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// A leg's digest as `LegDigest.bytes` stores it (big-endian, high lane first); nil for
    /// anything else.
    func digest(_ i: Int32) -> LegDigest? {
        guard sqlite3_column_bytes(statement, i) == 16, let pointer = sqlite3_column_blob(statement, i) else { return nil }
        let raw = UnsafeRawBufferPointer(start: pointer, count: 16)
        return LegDigest(high: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                         low: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }

    /// A column as whatever it holds (a whole table copied, `migrate-store`).
    func value(_ i: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_NULL: .null
        case SQLITE_INTEGER: .integer(int(i))
        case SQLITE_BLOB: .blob(blob(i))
        default: .text(string(i))
        }
    }
}
