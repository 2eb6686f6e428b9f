import Foundation

extension Store {
    /// A consistent copy of the whole store at `path` while the daemon writes (SPEC §6):
    /// `VACUUM INTO` reads one snapshot and writes a compact new file. An existing file is
    /// refused, never overwritten.
    public func backup(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StoreRequestError.invalid(field: "PATH", "\(path) exists: give a new file name")
        }
        try connection.prepare("VACUUM INTO ?").run([.text(path)])
    }
}
