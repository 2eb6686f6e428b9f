import RingbackCore

/// Whom the PBX rings first when `number` calls (SPEC §9.2), read by indexes alone: the
/// open callback's owner, else the manager of the number's client (of all its clients,
/// when they share one); with that manager's first extension, when they are active and
/// have one.
public struct RouteOwner: Sendable, Equatable {
    public enum Reason: String, Sendable {
        case openCallback = "open_callback"
        case clientManager = "client_manager"
    }

    public var managerID: String
    public var extensionNumber: String
    public var reason: Reason
    /// The manager's absence ends then (SPEC §9.2's `away_until`), if set.
    public var awayUntil: Int64?
}

extension Store {
    public func routeOwner(number: String) throws -> RouteOwner? {
        let owners = try connection.prepare("""
            SELECT (SELECT manager_id FROM callbacks INDEXED BY callbacks_open_number WHERE number = ?1 AND state = 'open'),
                   -- A number of two clients of different managers is nobody's to ring first.
                   (SELECT CASE WHEN count(DISTINCT coalesce(c.manager_id, '')) = 1 THEN max(c.manager_id) END
                    FROM client_phones p JOIN clients c ON c.client_id = p.client_id WHERE p.number = ?1)
            """).first([.text(number)]) { ($0.optionalString(0), $0.optionalString(1)) }
        let chosen: (String, RouteOwner.Reason)? = if let owner = owners?.0 { (owner, .openCallback) }
            else if let owner = owners?.1 { (owner, .clientManager) } else { nil }
        guard let (managerID, reason) = chosen else { return nil }
        return try connection.prepare("""
            SELECT (SELECT extension FROM manager_extensions WHERE manager_id = m.manager_id ORDER BY extension LIMIT 1),
                   m.away_until
            FROM managers m WHERE m.manager_id = ? AND m.active = 1
            """).first([.text(managerID)]) { row -> RouteOwner? in
                row.optionalString(0).map { RouteOwner(managerID: managerID, extensionNumber: $0, reason: reason,
                                                       awayUntil: row.optionalInt(1)) }
            } ?? nil
    }
}
