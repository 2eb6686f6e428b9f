extension Store {
    /// `[store] keep_days` (SPEC §6): deletes up to `limit` rows older than `cutoff` — the
    /// legs and calls (CDRs are personal data), the CRM contacts, quarantined raw rows and
    /// spent contact checks, finished webhook deliveries — in one short transaction, and returns how many; 0 when
    /// nothing older is left. The calls of a callback still open are kept (its story is
    /// still being told); callbacks and alerts stay, as the report's history.
    public func purge(before cutoff: Int64, limit: Int) throws -> Int {
        try transaction {
            var deleted = 0
            let values: [SQLValue] = [.integer(cutoff), .integer(Int64(limit))]
            try connection.prepare("""
                DELETE FROM legs WHERE leg_id IN (
                    SELECT leg_id FROM legs WHERE start < ?1 AND call_id IS NOT NULL AND call_id NOT IN (
                        SELECT call_id FROM callback_calls WHERE callback_id IN (SELECT callback_id FROM callbacks WHERE state = 'open'))
                    LIMIT ?2)
                """).run(values)
            deleted += connection.changes
            try connection.prepare("""
                DELETE FROM calls WHERE call_id IN (
                    SELECT call_id FROM calls WHERE started_at < ?1 AND call_id NOT IN (
                        SELECT call_id FROM callback_calls WHERE callback_id IN (SELECT callback_id FROM callbacks WHERE state = 'open'))
                    LIMIT ?2)
                """).run(values)
            deleted += connection.changes
            try connection.prepare("""
                DELETE FROM contacts WHERE contact_id IN (SELECT contact_id FROM contacts WHERE created_at < ?1 LIMIT ?2)
                """).run(values)
            deleted += connection.changes
            try connection.prepare("""
                DELETE FROM quarantine WHERE quarantine_id IN (SELECT quarantine_id FROM quarantine WHERE created_at < ?1 LIMIT ?2)
                """).run(values)
            deleted += connection.changes
            try connection.prepare("""
                DELETE FROM contact_checks WHERE call_id IN (
                    SELECT call_id FROM contact_checks WHERE checked = 1 AND deadline < ?1 LIMIT ?2)
                """).run(values)
            deleted += connection.changes
            // A webhook's payload carries the client's number: finished deliveries go too.
            try connection.prepare("""
                DELETE FROM webhook_outbox WHERE delivery_id IN (
                    SELECT delivery_id FROM webhook_outbox WHERE state != 'pending' AND written_at < ?1 LIMIT ?2)
                """).run(values)
            deleted += connection.changes
            return deleted
        }
    }

    /// When the last purge finished, nil if none did.
    public func lastPurge() throws -> Int64? { try meta("last_purge").flatMap { Int64($0) } }

    public func recordPurge(at now: Int64) throws { try setMeta("last_purge", String(now)) }
}
