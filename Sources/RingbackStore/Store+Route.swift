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
    /// `office`: the PBX that asks (SPEC §10); the owner's first extension there, so Kazan's
    /// PBX never dials Moscow's 101.
    public func routeOwner(number: String, office: String) throws -> RouteOwner? {
        let owners = try connection.prepare("""
            SELECT (SELECT manager_id FROM callbacks INDEXED BY callbacks_open_number WHERE number = ?1 AND state = 'open'),
                   -- A number of two clients of different managers is nobody's to ring first.
                   (SELECT CASE WHEN count(DISTINCT coalesce(c.manager_id, '')) = 1 THEN max(c.manager_id) END
                    FROM client_phones p JOIN clients c ON c.client_id = p.client_id WHERE p.number = ?1)
            """).first([.text(number)]) { ($0.optionalString(0), $0.optionalString(1)) }
        let chosen: (String, RouteOwner.Reason)? = if let owner = owners?.0 { (owner, .openCallback) }
            else if let owner = owners?.1 { (owner, .clientManager) } else { nil }
        guard let (managerID, reason) = chosen else { return nil }
        guard let awayUntil = try connection.prepare("SELECT away_until FROM managers WHERE manager_id = ? AND active = 1")
            .first([.text(managerID)], { $0.optionalInt(0) }) else { return nil }
        let firstOffice = try firstOffice()
        let extensions = try connection.prepare("SELECT extension FROM manager_extensions WHERE manager_id = ? ORDER BY extension")
            .rows([.text(managerID)]) { OfficeExtension(written: $0.string(0)) }
        guard let phone = extensions.first(where: { $0.belongs(to: office, firstOffice: firstOffice) }) else { return nil }
        return RouteOwner(managerID: managerID, extensionNumber: phone.number, reason: reason, awayUntil: awayUntil)
    }
}
