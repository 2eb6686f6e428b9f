import Foundation

/// A secret kept in a file of its own (a webhook's, the proxy's): read once at start, its
/// surrounding whitespace dropped; a missing or short one stops the start with the reason.
enum SecretFile {
    static func read(_ path: String, for what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebStartError("\(what) \(path) cannot be read")
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard secret.utf8.count >= 16 else { throw WebStartError("\(what) \(path) holds fewer than 16 bytes") }
        return secret
    }
}
