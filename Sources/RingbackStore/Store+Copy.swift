extension Store {
    /// `ringback migrate-store` (SPEC §10): every table of this SQLite store, read positions
    /// too, copied into `target`, an empty PostgreSQL store of this build's schema, in one
    /// transaction there (a failure leaves it empty) from one snapshot here. The ids are kept,
    /// and the target's sequences continue after them. Returns each table's rows copied.
    public func copy(into target: Store) throws -> [(table: String, rows: Int)] {
        guard case .sqlite(let source) = connection else {
            throw StoreRequestError.invalid(field: "--db", "the store to copy from must be an SQLite file")
        }
        guard case .postgres(let destination) = target.connection else {
            throw StoreRequestError.invalid(field: "--to", "the store to copy into must be a PostgreSQL database")
        }
        return try reading {
            let tables = try source.prepareUncached("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                .rows([]) { $0.string(0) }
            return try target.transaction {
                for table in tables where try target.holdsRows(table) {
                    throw StoreRequestError.invalid(field: "--to", "\(destination.server) is not empty (its \(table) has rows): "
                                                    + "migrate-store copies into a new database only")
                }
                let copied = try tables.map { table in (table, try copyTable(table, from: source, into: destination)) }
                try destination.execute(Self.sequencesAfterTheCopiedIDs)
                return copied
            }
        }
    }

    private func holdsRows(_ table: String) throws -> Bool {
        // Names come from the source's own schema; meta holds the target's schema version.
        let sql = table == "meta" ? "SELECT 1 FROM meta WHERE key <> 'schema_version' LIMIT 1" : "SELECT 1 FROM \"\(table)\" LIMIT 1"
        return try connection.prepareUncached(sql).first([]) { _ in true } ?? false
    }

    private func copyTable(_ table: String, from source: SQLiteConnection, into destination: PostgresConnection) throws -> Int {
        let columns = try source.prepareUncached("SELECT name FROM pragma_table_info(?) ORDER BY cid").rows([.text(table)]) { $0.string(0) }
        let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
        // The target migrated itself: its schema version is its own.
        let filter = table == "meta" ? " WHERE key <> 'schema_version'" : ""
        let rows = try source.prepareUncached("SELECT \(list) FROM \"\(table)\"\(filter)")
        return try destination.copy(into: table, columns: columns) { writer in
            try rows.rows([]) { row in
                for index in columns.indices { writer.append(row.value(Int32(index))) }
                try writer.endRow()
            }
        }
    }

    /// Identity columns go on after the largest copied id, and batches take leg-id blocks
    /// after the largest copied leg.
    private static let sequencesAfterTheCopiedIDs = """
        DO $$
        DECLARE column_ record;
        BEGIN
            FOR column_ IN SELECT table_name, column_name FROM information_schema.columns
                           WHERE table_schema = current_schema() AND is_identity = 'YES' LOOP
                EXECUTE format('SELECT setval(pg_get_serial_sequence(%L, %L), coalesce(max(%I), 0) + 1, false) FROM %I',
                               column_.table_name, column_.column_name, column_.column_name, column_.table_name);
            END LOOP;
            PERFORM setval('leg_id_blocks', coalesce((SELECT max(leg_id) FROM legs), 0) / 1048576 + 1, false);
        END $$
        """
}
