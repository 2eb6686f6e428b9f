import Foundation

extension Store {
    /// A consistent copy of the whole store at `path` while the daemon writes (SPEC §6):
    /// `VACUUM INTO` reads one snapshot and writes a compact new file. An existing file is
    /// refused, never overwritten.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreRequestError.invalid(field: "PATH", "\(path) exists: give a new file name")
        }
        guard case .sqlite = connection else {
            throw StoreRequestError.invalid(field: "PATH", "a PostgreSQL store is backed up with its own tools (pg_dump, "
                                            + "or the server's base backups), not by ringback")
        }
        try connection.prepare("VACUUM INTO ?").run([.text(path)])
    }
}
