import RingbackCore

/// Several offices in one store (SPEC §10): each daemon names its office; the first one
/// registered owns the extensions the managers file writes bare.
extension Store {
    /// Registers this program's office (its daemon, or `ringback ingest`). The first office
    /// named in a store that held one unnamed office takes over its history: an office that
    /// grows into several keeps its calls in its own report.
    public func registerOffice(_ name: String, now: Int64) throws {
        office = name
        guard !office.isEmpty else {
            // An unnamed office among named ones would own no extension and no report.
            let named = try offices()
            guard named.isEmpty else {
                throw StoreError(.other, "this store holds the offices \(named.joined(separator: ", ")): "
                                 + "name this one too ([office] name in its configuration)")
            }
            return
        }
        try transaction {
            try connection.prepare("INSERT INTO offices (name, registered_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
                .run([.text(office), .integer(now)])
            guard connection.changes == 1, try firstOffice() == office else { return }
            try connection.prepare("UPDATE calls SET office = ? WHERE office = ''").run([.text(office)])
            try connection.prepare("UPDATE callbacks SET office = ? WHERE office = ''").run([.text(office)])
            try connection.prepare("UPDATE alerts SET office = ? WHERE office = ''").run([.text(office)])
            try connection.prepare("UPDATE call_requests SET office = ? WHERE office = ''").run([.text(office)])
        }
    }

    /// The first office registered; "" when no program named its office.
    public func firstOffice() throws -> String {
        try connection.prepare("SELECT name FROM offices ORDER BY position LIMIT 1").first([]) { $0.string(0) } ?? ""
    }

    /// The offices in the order they were registered.
    public func offices() throws -> [String] {
        try connection.prepare("SELECT name FROM offices ORDER BY position").rows([]) { $0.string(0) }
    }

    /// What this office's call ids begin with: two PBXs number their calls alike.
    var officePrefix: String { office.isEmpty ? "" : office + ":" }

    /// A meta entry that each office keeps for itself (its PBX's heartbeat, its last CDR).
    func officeKey(_ key: String) -> String { office.isEmpty ? key : key + ":" + office }
}
