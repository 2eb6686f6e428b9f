import Foundation
import RingbackConfig
import RingbackCore
import RingbackStore

/// The three directory files of SPEC §1.4.
public enum DirectoryKind: String, CaseIterable, Sendable {
    case managers, clients, contacts

    /// The kind a dropped file's name announces (`managers-2026-03.csv` → managers).
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        guard lower.hasSuffix(".csv") else { return nil }
        guard let kind = Self.allCases.first(where: { lower.hasPrefix($0.rawValue) }) else { return nil }
        self = kind
    }
}

/// What an import did: rows stored and rows refused (with their line and reason).
public struct ImportResult: Sendable {
    public var imported: Int
    public var errors: [DirectoryCSV.LineError]
    public var contactsFound: Int
}

/// Loads a directory file into the store in one transaction, then recomputes the owner and
/// due time of the open callbacks of the entries that changed (managers, clients), or
/// resolves the `no_contact` alerts that a contact now answers (contacts).
public struct DirectoryImporter: Sendable {
    public let configuration: RingbackConfiguration
    public init(configuration: RingbackConfiguration) { self.configuration = configuration }

    public func importFile(_ path: String, kind: DirectoryKind, into store: any StoreWriting, now: Int64) throws -> ImportResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unreadable(path: path, reason: "cannot read the file")
        }
        let text = String(decoding: data, as: UTF8.self)
        return try store.transaction {
            switch kind {
            case .managers:
                let parsed = try DirectoryCSV.managers(text, numbers: configuration.numbers, zone: configuration.officeZone)
                try reowningChanged(in: store, now: now) {
                    try store.upsertManagers(parsed.records, includingAway: parsed.columns.contains("away_until"))
                }
                return ImportResult(imported: parsed.records.count, errors: parsed.errors, contactsFound: 0)
            case .clients:
                let parsed = try DirectoryCSV.clients(text, numbers: configuration.numbers)
                try reowningChanged(in: store, now: now) { try store.upsertClients(parsed.records) }
                return ImportResult(imported: parsed.records.count, errors: parsed.errors, contactsFound: 0)
            case .contacts:
                let parsed = try DirectoryCSV.contacts(text, numbers: configuration.numbers, zone: configuration.officeZone)
                let found = try store.upsertContacts(parsed.records, now: now)
                return ImportResult(imported: parsed.records.count, errors: parsed.errors, contactsFound: found)
            }
        }
    }

    /// One client from the CRM (`PUT /api/v1/clients/ID`): stored, and the open callbacks
    /// of its numbers get their owner and due time again, in one transaction. A manager
    /// the directory does not know is refused.
    public func put(_ client: Client, into store: any StoreWriting, now: Int64) throws {
        try store.transaction {
            if let manager = client.managerID, !(try store.loadDirectory().managers.contains { $0.id == manager }) {
                throw StoreRequestError.invalid(field: "manager_id", "no manager \(manager) in the directory")
            }
            try reowningChanged(in: store, now: now) { try store.upsertClients([client]) }
        }
    }

    /// One manager (`PUT /api/v1/managers/ID`), likewise; `includingAway`: the body named
    /// `away_until`.
    public func put(_ manager: Manager, includingAway: Bool, into store: any StoreWriting, now: Int64) throws {
        try store.transaction {
            try reowningChanged(in: store, now: now) { try store.upsertManagers([manager], includingAway: includingAway) }
        }
    }

    /// Runs `change`, then gives the open callbacks of the entries it changed their owner,
    /// client and due time again: only those (SPEC §9.2), so an import of the same file
    /// touches nothing.
    private func reowningChanged(in store: any StoreWriting, now: Int64, _ change: () throws -> Void) throws {
        let before = try store.loadDirectory()
        try change()
        let context = try RuleContext(configuration: configuration, directory: try store.loadDirectory())
        let changed = DirectoryChange(from: before, to: context.directory)
        guard !changed.isEmpty else { return }
        try store.reownOpenCallbacks { open in
            changed.touches(open) ? context.rules.reowned(open, directory: context.directory, now: now) : nil
        }
    }
}
