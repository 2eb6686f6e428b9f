import RingbackCore

extension Store {
    public func loadDirectory() throws -> Directory {
        var extensions: [String: [String]] = [:]
        try connection.prepare("SELECT extension, manager_id FROM manager_extensions ORDER BY extension").rows {
            extensions[$0.string(1), default: []].append($0.string(0))
        }
        var mobiles: [String: [String]] = [:]
        try connection.prepare("SELECT number, manager_id FROM manager_mobiles ORDER BY number").rows {
            mobiles[$0.string(1), default: []].append($0.string(0))
        }
        let managers = try connection.prepare("""
            SELECT manager_id, name, login, email, role, active, away_until FROM managers ORDER BY manager_id
            """).rows { row in
                Manager(id: row.string(0), name: row.string(1), extensions: extensions[row.string(0)] ?? [],
                        login: row.string(2), email: row.string(3), role: Manager.Role(rawValue: row.string(4)) ?? .manager,
                        mobiles: mobiles[row.string(0)] ?? [], active: row.int(5) != 0, awayUntil: row.optionalInt(6))
            }
        var phones: [String: [String]] = [:]
        try connection.prepare("SELECT number, client_id FROM client_phones").rows { phones[$0.string(1), default: []].append($0.string(0)) }
        let clients = try connection.prepare("SELECT client_id, name, abc, manager_id FROM clients ORDER BY client_id").rows { row in
            Client(id: row.string(0), name: row.string(1), abc: row.optionalString(2).flatMap(ABCGroup.init(rawValue:)),
                   phones: phones[row.string(0)] ?? [], managerID: row.optionalString(3))
        }
        return Directory(managers: managers, clients: clients, firstOffice: try firstOffice())
    }

    /// Adds or updates managers (by `manager_id`); their extension and mobile lists are
    /// replaced. `includingAway`: their `away_until` too (a file with that column, a PUT
    /// naming it); else it stays as `ringback away` set it.
    public func upsertManagers(_ managers: [Manager], includingAway: Bool) throws {
        let upsert = try connection.prepare("""
            INSERT INTO managers (manager_id, name, login, email, role, active, away_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT(manager_id) DO UPDATE SET name = excluded.name, login = excluded.login, email = excluded.email,
                role = excluded.role, active = excluded.active,
                away_until = CASE WHEN ?8 = 1 THEN excluded.away_until ELSE managers.away_until END
            """)
        for manager in managers {
            try upsert.run([.text(manager.id), .text(manager.name), .text(manager.login), .text(manager.email),
                            .text(manager.role.rawValue), SQLValue(manager.active), SQLValue(manager.awayUntil),
                            SQLValue(includingAway)])
            try connection.prepare("DELETE FROM manager_extensions WHERE manager_id = ?").run([.text(manager.id)])
            for ext in manager.extensions {
                try connection.prepare("""
                    INSERT INTO manager_extensions (extension, manager_id) VALUES (?, ?)
                    ON CONFLICT(extension) DO UPDATE SET manager_id = excluded.manager_id
                    """).run([.text(ext), .text(manager.id)])
            }
            try connection.prepare("DELETE FROM manager_mobiles WHERE manager_id = ?").run([.text(manager.id)])
            for mobile in manager.mobiles {
                try connection.prepare("""
                    INSERT INTO manager_mobiles (number, manager_id) VALUES (?, ?)
                    ON CONFLICT(number) DO UPDATE SET manager_id = excluded.manager_id
                    """).run([.text(mobile), .text(manager.id)])
            }
        }
        try bumpDirectoryVersion()
    }

    /// `ringback away`: the manager `login` is away until `until` (nil: back). Returns false
    /// when no manager has that login.
    public func setAway(login: String, until: Int64?) throws -> Bool {
        try transaction {
            try connection.prepare("UPDATE managers SET away_until = ? WHERE login = ?").run([SQLValue(until), .text(login)])
            guard connection.changes > 0 else { return false }
            try bumpDirectoryVersion()
            return true
        }
    }

    /// Adds or updates clients (by `client_id`); their phone lists are replaced.
    public func upsertClients(_ clients: [Client]) throws {
        let upsert = try connection.prepare("""
            INSERT INTO clients (client_id, name, abc, manager_id) VALUES (?, ?, ?, ?)
            ON CONFLICT(client_id) DO UPDATE SET name = excluded.name, abc = excluded.abc, manager_id = excluded.manager_id
            """)
        for client in clients {
            try upsert.run([.text(client.id), .text(client.name), SQLValue(client.abc?.rawValue), SQLValue(client.managerID)])
            try connection.prepare("DELETE FROM client_phones WHERE client_id = ?").run([.text(client.id)])
            for phone in client.phones {
                try connection.prepare("""
                    INSERT INTO client_phones (number, client_id) VALUES (?, ?) ON CONFLICT DO NOTHING
                    """).run([.text(phone), .text(client.id)])
            }
        }
        try bumpDirectoryVersion()
    }

    /// Adds or updates contacts (by `contact_id`) and resolves the `no_contact` alerts they
    /// answer. Returns how many alerts were resolved.
    @discardableResult
    public func upsertContacts(_ contacts: [Contact], now: Int64) throws -> Int {
        let upsert = try connection.prepare("""
            INSERT INTO contacts (contact_id, created_at, manager_id, client_id, phone, kind, note, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(contact_id) DO UPDATE SET created_at = excluded.created_at, manager_id = excluded.manager_id,
                client_id = excluded.client_id, phone = excluded.phone, kind = excluded.kind, note = excluded.note
            """)
        for contact in contacts {
            try upsert.run([.text(contact.id), .integer(contact.createdAt), SQLValue(contact.managerID),
                            SQLValue(contact.clientID), SQLValue(contact.phone), .text(contact.kind), .text(contact.note),
                            .integer(now)])
        }
        return try resolveFoundContacts(now: now)
    }

    private func bumpDirectoryVersion() throws {
        try setMeta("directory_version", String(try directoryVersion() + 1))
    }

    @discardableResult
    public func reownOpenCallbacks(_ reown: (OpenCallbackOwnership) -> OwnershipUpdate?) throws -> Int {
        // The first missed call's extension is the one whose ringing decided the owner. A call
        // promised for a set time (`later`) keeps it in due_at; its SLA due time is sla_due_at.
        let open = try connection.prepare("""
            SELECT cb.callback_id, cb.number, cb.client_id, cb.manager_id, cb.assigned_by_hand, cb.first_missed_at, c.extension,
                COALESCE(cb.sla_due_at, cb.due_at), cb.office
            FROM callbacks cb LEFT JOIN calls c ON c.call_id = cb.first_call_id WHERE cb.state = 'open'
            """).rows {
                OpenCallbackOwnership(callbackID: $0.int(0), number: $0.string(1), clientID: $0.optionalString(2),
                                      managerID: $0.optionalString(3), assignedByHand: $0.int(4) != 0, firstMissedAt: $0.int(5),
                                      extensionNumber: $0.optionalString(6), slaDueAt: $0.int(7), office: $0.string(8))
            }
        let update = try connection.prepare("""
            UPDATE callbacks SET manager_id = ?1, client_id = ?2,
                due_at = CASE WHEN sla_due_at IS NULL THEN ?3 ELSE due_at END,
                sla_due_at = CASE WHEN sla_due_at IS NULL THEN NULL ELSE ?3 END
            WHERE callback_id = ?4
            """)
        var updated = 0
        for callback in open {
            guard let new = reown(callback) else { continue }
            try update.run([SQLValue(new.managerID), SQLValue(new.clientID), .integer(new.slaDueAt), .integer(callback.callbackID)])
            updated += 1
            if new.managerID != callback.managerID, new.managerID != nil {
                try fileWebhookEvent(.callbackAssigned, happenedAt: nil, callbackID: callback.callbackID, alertID: nil)
            }
        }
        return updated
    }
}
