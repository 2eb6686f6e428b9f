import CLibPQ
import Foundation
import RingbackCore

/// One PostgreSQL connection through libpq, with the shape of `SQLiteConnection`: statements
/// prepared once (server-side, by name) and run with bound values. Not thread-safe: one owner
/// uses it. Values travel as text (integers in decimal, blobs as bytea in binary) and rows
/// come back as text, so a column reads the same whatever the SQL type of its expression.
final class PostgresConnection: TransactionalConnection {
    let beginWrite = "BEGIN"
    let handle: OpaquePointer
    /// The server as a person may see it: no password.
    let server: String
    /// What opens another connection to the same database (the leg look-up's own).
    let url: String
    let password: String?
    /// Prepared statements' names, by literal and the types of their values.
    private var statements: [StatementKey: String] = [:]
    /// The types last bound at each position of a literal's values.
    private var knownTypes: [Int: [Oid]] = [:]
    /// Rows changed by the last statement.
    var changes = 0

    /// `url`: a `postgresql://` URL or libpq's `key=value` string; `password`, when given,
    /// is passed beside it and never becomes part of a message.
    init(url: String, password: String?) throws {
        server = PostgresURL.redacted(url)
        self.url = url
        self.password = password
        // Defaults first, so that the URL's own settings win: a store that answers within
        // 10 s or is reported as unreachable; the application name shows the connection in
        // pg_stat_activity.
        var keywords = ["connect_timeout", "application_name", "dbname"]
        var values = ["10", "ringback", url]
        if let password { keywords.append("password"); values.append(password) }
        let connection = withCStrings(keywords) { keys in
            withCStrings(values) { vals in PQconnectdbParams(keys, vals, 1) }
        }
        guard let connection else { throw StoreError(.cannotOpen, "cannot open the store \(server): out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.message(of: connection)
            PQfinish(connection)
            throw StoreError(.cannotOpen, "cannot open the store \(server): \(message)")
        }
        handle = connection
        // Notices (a "NOTICE: relation already exists, skipping") are not errors and must
        // not reach stderr, where they would look like ones.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute(Self.session)
    }

    /// Every session's settings: no notices, times in UTC.
    private static let session = "SET client_min_messages = warning; SET TIME ZONE 'UTC'"

    /// Whether a transaction of ours is open (BEGIN sent, neither COMMIT nor ROLLBACK yet).
    private var inTransaction = false
    /// Whether the open transaction changed a row: its commit is announced to the listeners
    /// (`StoreChangeListener`, the desk's live pages).
    var wrote = false

    /// The channel every commit that changed the store is announced on.
    static let changesChannel = "ringback_changes"

    /// Before a statement: a connection lost between transactions (the server restarted, a
    /// fail-over) is opened again, with its prepared statements forgotten. One lost inside a
    /// transaction is not: the transaction's remaining statements would run outside it.
    func ensureConnected() throws {
        guard PQstatus(handle) != CONNECTION_OK else { return }
        guard !inTransaction else {
            throw StoreError(.unreachable, "lost the store \(server) in the middle of a transaction: it is tried again")
        }
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw StoreError(.unreachable, "cannot reach the store \(server): \(Self.message(of: handle))")
        }
        statements.removeAll()
        try execute(Self.session)
    }

    deinit { PQfinish(handle) }

    static func message(of connection: OpaquePointer) -> String {
        guard let raw = PQerrorMessage(connection) else { return "unknown error" }
        return String(cString: raw).trimmingTrailingWhitespace
    }

    /// One or more statements without values.
    func execute(_ sql: String) throws {
        var text = sql
        if sql == "COMMIT" || sql == "ROLLBACK" {
            inTransaction = false
            // Nothing to roll back on a lost connection: the server did it.
            if sql == "ROLLBACK", PQstatus(handle) != CONNECTION_OK { return }
            // Sent with the commit, in its round trip; delivered only if it commits.
            if sql == "COMMIT", wrote { text = "NOTIFY \(Self.changesChannel); COMMIT" }
            wrote = false
        } else {
            try ensureConnected()
        }
        let result = PQexec(handle, text)
        defer { PQclear(result) }
        try check(result, sql)
        if sql.hasPrefix("BEGIN") { inTransaction = true }
    }

    /// A statement prepared once per literal and per kinds of its values (a NULL leaves the
    /// server to infer the type, so it may need a statement of its own).
    func prepare(_ sql: StaticString) -> PostgresStatement {
        PostgresStatement(connection: self, sql: .literal(sql))
    }

    /// A statement whose text is built at run time: sent with its values, never prepared.
    func prepareUncached(_ sql: String) -> PostgresStatement {
        PostgresStatement(connection: self, sql: .text(sql))
    }

    func prepared(_ literal: StaticString, types given: [Oid]) throws -> String {
        let address = Int(bitPattern: literal.utf8Start)
        // A NULL takes the type its position had when a value was bound there before; where
        // none was, the server infers it, and where it cannot (`? IS NULL`), it is text.
        var known = knownTypes[address] ?? []
        if known.count < given.count { known += Array(repeating: 0, count: given.count - known.count) }
        var types = given
        for index in types.indices {
            if types[index] == 0 { types[index] = known[index] } else { known[index] = types[index] }
        }
        knownTypes[address] = known
        let key = StatementKey(address: address, types: types)
        if let name = statements[key] { return name }
        let (text, count) = PostgresPlaceholders.translate(literal.description)
        if types.count < count { types += Array(repeating: 0, count: count - types.count) }
        let name = "s\(statements.count)"
        if types.contains(0) {
            // The server may fail to infer a type ("could not determine the data type", 42P18,
            // or 42P08 for `? IS NULL OR x = ?`); inside a transaction a failure would end it,
            // so the first try is made under a savepoint.
            let inTransaction = PQtransactionStatus(handle) != PQTRANS_IDLE
            if inTransaction { try execute("SAVEPOINT ringback_prepare") }
            do {
                try prepare(name, text, types, literal)
                if inTransaction { try execute("RELEASE SAVEPOINT ringback_prepare") }
            } catch let error as StoreError where error.sqlState == "42P18" || error.sqlState == "42P08" {
                if inTransaction { try execute("ROLLBACK TO SAVEPOINT ringback_prepare; RELEASE SAVEPOINT ringback_prepare") }
                try prepare(name, text, types.map { $0 == 0 ? 25 : $0 }, literal)
            }
        } else {
            try prepare(name, text, types, literal)
        }
        statements[key] = name
        return name
    }

    private func prepare(_ name: String, _ text: String, _ types: [Oid], _ literal: StaticString) throws {
        let result = PQprepare(handle, name, text, Int32(types.count), types)
        defer { PQclear(result) }
        try check(result, literal.description)
    }

    /// Fails with the server's message and the statement's start when `result` is not a success.
    func check(_ result: OpaquePointer?, _ sql: String) throws {
        let status = result.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        let field = { (code: Int32) in result.flatMap { PQresultErrorField($0, code) }.map { String(cString: $0) } }
        let state = field(ringback_pg_diag_sqlstate()) ?? ""
        // The primary message alone: the detail may quote the values of a row.
        let message = field(ringback_pg_diag_message_primary()) ?? Self.message(of: handle)
        if PQstatus(handle) != CONNECTION_OK {
            throw StoreError(.unreachable, "lost the store \(server): \(message)")
        }
        throw StoreError(sqlState: state, message: "\(message) (in: \(sql.prefix(120)))")
    }

    private struct StatementKey: Hashable {
        var address: Int
        var types: [Oid]
    }
}

/// A statement of a `PostgresConnection`: its values bound at each run.
struct PostgresStatement {
    unowned let connection: PostgresConnection
    let sql: SQL

    enum SQL {
        case literal(StaticString)
        case text(String)

        var description: String {
            switch self {
            case .literal(let literal): literal.description
            case .text(let text): text
            }
        }
    }

    /// Runs it; how many rows it changed.
    @discardableResult
    func run(_ values: [SQLValue] = []) throws -> Int {
        let result = try execute(values)
        defer { PQclear(result) }
        return connection.changes
    }

    @discardableResult
    func rows<T>(_ values: [SQLValue] = [], _ map: (PostgresRow) throws -> T) throws -> [T] {
        let result = try execute(values)
        defer { PQclear(result) }
        let count = PQntuples(result)
        var rows: [T] = []
        rows.reserveCapacity(Int(count))
        for index in 0..<count { rows.append(try map(PostgresRow(result: result, row: index))) }
        return rows
    }

    func first<T>(_ values: [SQLValue] = [], _ map: (PostgresRow) throws -> T) throws -> T? {
        let result = try execute(values)
        defer { PQclear(result) }
        return PQntuples(result) > 0 ? try map(PostgresRow(result: result, row: 0)) : nil
    }

    private func execute(_ values: [SQLValue]) throws -> OpaquePointer {
        try connection.ensureConnected()
        let types = values.map(\.postgresType)
        let name: String?
        switch sql {
        case .literal(let literal): name = try connection.prepared(literal, types: types)
        case .text: name = nil
        }
        // Every value's bytes side by side in one buffer (texts NUL-terminated, blobs in
        // binary with their length), pointed into for the call.
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for value in values {
            offsets.append(buffer.count)
            switch value {
            case .null, .nullInteger, .nullText: formats.append(0)
            case .integer(let v): buffer.append(contentsOf: String(v).utf8); formats.append(0)
            case .text(let text):
                // PostgreSQL's text cannot hold a NUL (a caller-ID name may): it is stored as
                // U+2400, the symbol for one, where libpq would cut the text short.
                if text.utf8.contains(0) {
                    buffer.append(contentsOf: text.replacingOccurrences(of: "\u{0}", with: "\u{2400}").utf8)
                } else {
                    buffer.append(contentsOf: text.utf8)
                }
                formats.append(0)
            case .blob(let bytes): buffer.append(contentsOf: bytes); formats.append(1)
            }
            lengths.append(Int32(buffer.count - offsets.last!))
            buffer.append(0)
        }
        let result = buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress)
            let pointers: [UnsafePointer<CChar>?] = values.indices.map { index in
                values[index].isNull ? nil : base.map { ($0 + offsets[index]).assumingMemoryBound(to: CChar.self) }
            }
            if let name {
                return PQexecPrepared(connection.handle, name, Int32(values.count), pointers, lengths, formats, 0)
            }
            let text = PostgresPlaceholders.translate(sql.description).text
            return PQexecParams(connection.handle, text, Int32(values.count), types, pointers, lengths, formats, 0)
        }
        do { try connection.check(result, sql.description) } catch { PQclear(result); throw error }
        connection.changes = Int(String(cString: PQcmdTuples(result))) ?? 0
        if connection.changes > 0, PQresultStatus(result) == PGRES_COMMAND_OK || !String(cString: PQcmdStatus(result)).hasPrefix("SELECT") {
            connection.wrote = true
        }
        return result!
    }
}

/// One row of a result; columns by position, as text.
struct PostgresRow {
    let result: OpaquePointer
    let row: Int32

    func isNull(_ i: Int32) -> Bool { PQgetisnull(result, row, i) == 1 }
    func string(_ i: Int32) -> String { String(cString: PQgetvalue(result, row, i)) }
    func int(_ i: Int32) -> Int64 {
        // Integers as decimal text; a boolean as t/f; a numeric sum without a fraction.
        let text = PQgetvalue(result, row, i)!
        switch text[0] {
        case CChar(UInt8(ascii: "t")): return 1
        case CChar(UInt8(ascii: "f")): return 0
        default: return Int64(String(cString: text)) ?? 0
        }
    }
    func optionalInt(_ i: Int32) -> Int64? { isNull(i) ? nil : int(i) }
    func optionalString(_ i: Int32) -> String? { isNull(i) ? nil : string(i) }
    /// bytea comes back as text in hex (`\x0a1b…`).
    func blob(_ i: Int32) -> [UInt8] {
        let text = string(i).utf8
        guard text.count >= 2, text.starts(with: "\\x".utf8) else { return [] }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.count - 2) / 2)
        var high: UInt8?
        for byte in text.dropFirst(2) {
            guard let nibble = hexValue(byte) else { return [] }
            if let h = high { bytes.append(h << 4 | nibble); high = nil } else { high = nibble }
        }
        return bytes
    }

    /// A leg's digest as `LegDigest.bytes` stores it; nil for anything else.
    func digest(_ i: Int32) -> LegDigest? {
        let bytes = blob(i)
        guard bytes.count == 16 else { return nil }
        let lanes = bytes.withUnsafeBytes {
            (UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
        return LegDigest(high: lanes.0, low: lanes.1)
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension SQLValue {
    /// The type the server is told: int8, text, bytea; an untyped NULL's is inferred.
    var postgresType: Oid {
        switch self {
        case .null: 0
        case .integer, .nullInteger: 20
        case .text, .nullText: 25
        case .blob: 17
        }
    }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    var pointers: [UnsafePointer<CChar>?] = strings.map { UnsafePointer(strdup($0)) }
    pointers.append(nil)
    defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

extension String {
    var trimmingTrailingWhitespace: String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
