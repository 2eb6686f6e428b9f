import Foundation
import RingbackCore

extension StoreLocation {
    /// The password for a server, read when the store is opened (a rotated password is read
    /// by the next program that starts). Its trailing newline is not part of it. The
    /// credential is installed empty for a store without one (SQLite, or a password from
    /// libpq's own `~/.pgpass`); an empty `password_file` is a mistake.
    func password(file: String?) throws -> String? {
        let path: String
        if let file {
            path = file
        } else if let credentials = ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"],
                  FileManager.default.fileExists(atPath: credentials + "/" + Self.credentialName) {
            path = credentials + "/" + Self.credentialName
        } else {
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(.cannotOpen, "cannot read the store's password file \(path): "
                             + "it must exist and be readable by this user (mode 0640, group ringback)")
        }
        var password = String(decoding: data, as: UTF8.self)
        while password.last == "\n" || password.last == "\r" { password.removeLast() }
        guard !password.isEmpty else {
            if file == nil { return nil }
            throw StoreError(.cannotOpen, "the store's password file \(path) is empty")
        }
        return password
    }
}
