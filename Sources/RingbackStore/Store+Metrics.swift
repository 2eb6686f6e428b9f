import RingbackCore

/// The counts behind `/metrics` (SPEC §8.5).
public struct MetricCounts: Sendable {
    /// Open callbacks by owner (nil: unassigned) and whether they are overdue.
    public var openCallbacks: [(managerID: String?, overdue: Bool, count: Int)] = []
    /// Alerts ever raised, by kind.
    public var alertsRaised: [AlertKind: Int] = [:]
}

extension Store {
    public func daemonHeartbeat() throws -> Int64? { try meta(officeKey("daemon_heartbeat")).flatMap { Int64($0) } }

    /// Equal for two reads inside `reading` only when they see the same data: the same
    /// connection, and no commit by anyone between them (SQLite's data_version, read once
    /// the snapshot has begun; PostgreSQL's snapshot, which names the transactions it sees).
    public func snapshotKey() throws -> String {
        _ = try connection.prepare("SELECT 1 FROM meta LIMIT 1").first([]) { _ in true }
        let version = try connection.prepare(sqlite: "PRAGMA data_version", postgres: "SELECT pg_current_snapshot()::text")
            .first([]) { $0.string(0) } ?? ""
        return "\(ObjectIdentifier(self).hashValue):\(version)"
    }

    public func recordDaemonHeartbeat(now: Int64) throws { try setMeta(officeKey("daemon_heartbeat"), String(now)) }

    public func metricCounts(at now: Int64) throws -> MetricCounts {
        var counts = MetricCounts()
        counts.openCallbacks = try connection.prepare("""
            SELECT manager_id, due_at <= ?, count(*) FROM callbacks WHERE state = 'open' GROUP BY 1, 2 ORDER BY 1, 2
            """).rows([.integer(now)]) { ($0.optionalString(0), $0.int(1) != 0, Int($0.int(2))) }
        let raised = try connection.prepare("SELECT kind, count(*) FROM alerts GROUP BY kind").rows([]) { row in
            (try row.word(0, as: AlertKind.self), Int(row.int(1)))
        }
        for (kind, count) in raised { counts.alertsRaised[kind] = count }
        return counts
    }
}
