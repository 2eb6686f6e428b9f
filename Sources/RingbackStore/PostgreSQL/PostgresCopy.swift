import CLibPQ

/// Rows for `COPY … FROM STDIN` in PostgreSQL's text format, handed to the server a buffer
/// at a time: the fast way to load a whole table (`ringback migrate-store`).
struct PostgresCopyWriter {
    fileprivate let connection: PostgresConnection
    fileprivate var buffer: [UInt8] = []
    private var fieldsInRow = 0

    fileprivate init(connection: PostgresConnection) {
        self.connection = connection
        buffer.reserveCapacity(Self.flushAt + 4096)
    }

    private static let flushAt = 1 << 20

    mutating func append(_ value: SQLValue) {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
        switch value {
        case .null, .nullInteger, .nullText: buffer.append(contentsOf: "\\N".utf8)
        case .integer(let number): buffer.append(contentsOf: String(number).utf8)
        case .text(let text):
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(contentsOf: "\\\\".utf8)
                case UInt8(ascii: "\t"): buffer.append(contentsOf: "\\t".utf8)
                case UInt8(ascii: "\n"): buffer.append(contentsOf: "\\n".utf8)
                case UInt8(ascii: "\r"): buffer.append(contentsOf: "\\r".utf8)
                // PostgreSQL's text holds no NUL: kept visible as U+2400, as a bound value is.
                case 0: buffer.append(contentsOf: "\u{2400}".utf8)
                default: buffer.append(byte)
                }
            }
        case .blob(let bytes):
            // bytea's hex input, its backslash doubled for COPY.
            buffer.append(contentsOf: "\\\\x".utf8)
            let digits = Array("0123456789abcdef".utf8)
            for byte in bytes {
                buffer.append(digits[Int(byte >> 4)])
                buffer.append(digits[Int(byte & 0x0f)])
            }
        }
    }

    mutating func endRow() throws {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        if buffer.count >= Self.flushAt { try flush() }
    }

    fileprivate mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                PQputCopyData(connection.handle, $0, Int32(bytes.count))
            }
        }
        guard sent == 1 else {
            throw StoreError(.unreachable, "lost the store \(connection.server) while copying: \(PostgresConnection.message(of: connection.handle))")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension PostgresConnection {
    /// `COPY table (columns) FROM STDIN` with the rows `body` appends; how many it appended
    /// is the server's count. Table and column names come from the schema, never from input.
    @discardableResult
    func copy(into table: String, columns: [String], _ body: (inout PostgresCopyWriter) throws -> Void) throws -> Int {
        let names = columns.map { "\"" + $0 + "\"" }.joined(separator: ", ")
        let sql = "COPY \(table) (\(names)) FROM STDIN"
        try ensureConnected()
        let start = PQexec(handle, sql)
        let status = start.map(PQresultStatus) ?? PGRES_FATAL_ERROR
        guard status == PGRES_COPY_IN else {
            defer { PQclear(start) }
            try check(start, sql)
            throw StoreError(.other, "the server did not start the copy (in: \(sql))")
        }
        PQclear(start)
        var writer = PostgresCopyWriter(connection: self)
        var failure: Error?
        do {
            try body(&writer)
            try writer.flush()
        } catch {
            failure = error
        }
        // Ended either way, so the connection is usable again; a failure aborts the copy.
        _ = PQputCopyEnd(handle, failure == nil ? nil : "ringback stopped the copy")
        var copied = 0
        var problem: Error?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            do {
                try check(result, sql)
                copied += Int(String(cString: PQcmdTuples(result))) ?? 0
            } catch {
                problem = problem ?? error
            }
        }
        if let failure { throw failure }
        if let problem { throw problem }
        return copied
    }
}
