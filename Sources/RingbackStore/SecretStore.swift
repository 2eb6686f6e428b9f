import Foundation
import RingbackCore

/// An API key as `ringback api-key list` shows it; the key itself is never stored.
public struct APIKey: Sendable, Equatable {
    public var name: String
    public var scope: APIScope
    public var createdAt: Int64
    public var revokedAt: Int64?
}

/// `[web] secrets_path` (SPEC §8.2): API keys, sign-in links and sessions in a store of their own, 0600 for the service user, because every manager can
/// write the main store. Only the SHA-256 of a key or token is kept.
public final class SecretStore {
    let connection: Connection

    /// Opens the secrets file, creating it 0600 (owned like its folder) when `create`.
    public init(path: String, create: Bool) throws {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists {
            guard create else { throw StoreError(.cannotOpen, "no secrets file at \(path): create an API key first") }
            let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw StoreError(.cannotOpen, "cannot create \(path): \(String(cString: strerror(errno)))")
            }
            // Made by root for the service: the folder's owner (the service user) owns it.
            var folder = stat()
            if geteuid() == 0, stat((path as NSString).deletingLastPathComponent, &folder) == 0 {
                fchown(descriptor, folder.st_uid, folder.st_gid)
            }
            close(descriptor)
        }
        guard access(path, R_OK) == 0 else {
            throw StoreError(.cannotOpen, "no access to \(path): it is the service user's alone; run as root or that user")
        }
        connection = .sqlite(try SQLiteConnection(path: path))
        try connection.execute("PRAGMA journal_mode = WAL")
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS api_keys (
                name TEXT PRIMARY KEY,
                scope TEXT NOT NULL,
                sha256 BLOB NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                revoked_at INTEGER
            );
            CREATE TABLE IF NOT EXISTS sign_in_links (
                sha256 BLOB PRIMARY KEY,
                login TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL,
                spent_at INTEGER
            );
            CREATE TABLE IF NOT EXISTS sessions (
                sha256 BLOB PRIMARY KEY,
                login TEXT NOT NULL,
                csrf_token TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            CREATE INDEX IF NOT EXISTS sessions_login ON sessions(login);
            CREATE TABLE IF NOT EXISTS wallboards (
                sha256 BLOB PRIMARY KEY,
                name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                office TEXT
            );
            CREATE INDEX IF NOT EXISTS sign_in_links_login ON sign_in_links(login);
            CREATE TABLE IF NOT EXISTS sign_in_mailings (
                login TEXT PRIMARY KEY,
                mailed_at INTEGER NOT NULL
            );
            """)
        // A secrets file made before wallboards had an office (SPEC §10) gains the column.
        let wallboardColumns = try connection.prepare("SELECT name FROM pragma_table_info('wallboards')").rows { $0.string(0) }
        if !wallboardColumns.contains("office") { try connection.execute("ALTER TABLE wallboards ADD COLUMN office TEXT") }
    }

    /// Stores a new key under `name`; a name in use (not revoked) is refused.
    public func addKey(name: String, scope: APIScope, sha256: [UInt8], now: Int64) throws {
        try connection.transaction {
            if let revoked = try connection.prepare("SELECT revoked_at FROM api_keys WHERE name = ?")
                .first([.text(name)], { $0.optionalInt(0) }) {
                guard revoked != nil else { throw StoreRequestError.invalid(field: "name", "a key named \(name) exists: revoke it first") }
                try connection.prepare("DELETE FROM api_keys WHERE name = ?").run([.text(name)])
            }
            try connection.prepare("INSERT INTO api_keys (name, scope, sha256, created_at) VALUES (?, ?, ?, ?)")
                .run([.text(name), .text(scope.rawValue), .blob(sha256), .integer(now)])
        }
    }

    public func keys() throws -> [APIKey] {
        try connection.prepare("SELECT name, scope, created_at, revoked_at FROM api_keys ORDER BY name").rows {
            APIKey(name: $0.string(0), scope: try $0.word(1), createdAt: $0.int(2), revokedAt: $0.optionalInt(3))
        }
    }

    /// Revokes the key `name`; false when there is no such key in use.
    public func revokeKey(name: String, now: Int64) throws -> Bool {
        try connection.prepare("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")
            .run([.integer(now), .text(name)])
        return connection.changes > 0
    }

    /// The key in use whose SHA-256 this is.
    public func key(sha256: [UInt8]) throws -> APIKey? {
        try connection.prepare("SELECT name, scope, created_at, revoked_at FROM api_keys WHERE sha256 = ? AND revoked_at IS NULL")
            .first([.blob(sha256)]) {
                APIKey(name: $0.string(0), scope: try $0.word(1), createdAt: $0.int(2), revokedAt: $0.optionalInt(3))
            }
    }

    // Sign-in links and sessions (SPEC §8.2)

    /// Keeps a new one-time sign-in link for `login`, valid until `expiresAt`.
    public func addSignInLink(login: String, sha256: [UInt8], now: Int64, expiresAt: Int64) throws {
        try connection.prepare("INSERT INTO sign_in_links (sha256, login, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .run([.blob(sha256), .text(login), .integer(now), .integer(expiresAt)])
    }

    /// A link asked for on `/signin`, kept only when none was mailed to `login` since
    /// `notSince`: false means the mail is not sent again (SPEC §8.2: once in 10 minutes).
    public func addMailedSignInLink(login: String, sha256: [UInt8], now: Int64, expiresAt: Int64, notSince: Int64) throws -> Bool {
        try connection.transaction {
            let last = try connection.prepare("SELECT mailed_at FROM sign_in_mailings WHERE login = ?").first([.text(login)]) { $0.int(0) }
            if let last, last > notSince { return false }
            try connection.prepare("""
                INSERT INTO sign_in_mailings (login, mailed_at) VALUES (?, ?)
                ON CONFLICT(login) DO UPDATE SET mailed_at = excluded.mailed_at
                """)
                .run([.text(login), .integer(now)])
            try addSignInLink(login: login, sha256: sha256, now: now, expiresAt: expiresAt)
            return true
        }
    }

    /// The login of an unspent, unexpired link.
    public func signInLinkLogin(sha256: [UInt8], now: Int64) throws -> String? {
        try connection.prepare("SELECT login FROM sign_in_links WHERE sha256 = ? AND spent_at IS NULL AND expires_at > ?")
            .first([.blob(sha256), .integer(now)]) { $0.string(0) }
    }

    /// Spends the link and starts a session in one transaction: of two presses of the
    /// button, one signs in. Returns the login, or nil for a link spent, expired or unknown.
    public func redeemSignInLink(sha256: [UInt8], session: NewSession, now: Int64) throws -> String? {
        try connection.transaction {
            guard let login = try signInLinkLogin(sha256: sha256, now: now) else { return nil }
            try connection.prepare("UPDATE sign_in_links SET spent_at = ? WHERE sha256 = ?").run([.integer(now), .blob(sha256)])
            try connection.prepare("""
                INSERT INTO sessions (sha256, login, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """).run([.blob(session.sha256), .text(login), .text(session.csrfToken), .integer(now), .integer(session.expiresAt)])
            return login
        }
    }

    /// The session whose id has this SHA-256, while it lasts.
    public func session(sha256: [UInt8], now: Int64) throws -> Session? {
        try connection.prepare("SELECT login, csrf_token, expires_at FROM sessions WHERE sha256 = ? AND expires_at > ?")
            .first([.blob(sha256), .integer(now)]) { Session(login: $0.string(0), csrfToken: $0.string(1), expiresAt: $0.int(2)) }
    }

    public func endSession(sha256: [UInt8]) throws {
        try connection.prepare("DELETE FROM sessions WHERE sha256 = ?").run([.blob(sha256)])
    }

    /// `ringback web-revoke NAME`: every session and unspent link of the login `name`, and
    /// every wallboard of that name, ends; returns how many of each.
    public func revokeSignIns(login: String, now: Int64) throws -> (sessions: Int, links: Int, wallboards: Int) {
        try connection.transaction {
            try connection.prepare("DELETE FROM sessions WHERE login = ?").run([.text(login)])
            let sessions = connection.changes
            try connection.prepare("UPDATE sign_in_links SET spent_at = ? WHERE login = ? AND spent_at IS NULL AND expires_at > ?")
                .run([.integer(now), .text(login), .integer(now)])
            let links = connection.changes
            try connection.prepare("DELETE FROM wallboards WHERE name = ?").run([.text(login)])
            return (sessions, links, connection.changes)
        }
    }

    /// A wallboard's read-only address (`ringback web-link --wallboard NAME [--office O]`); it
    /// lasts until revoked.
    public func addWallboard(name: String, office: String?, sha256: [UInt8], now: Int64) throws {
        try connection.prepare("INSERT INTO wallboards (sha256, name, created_at, office) VALUES (?, ?, ?, ?)")
            .run([.blob(sha256), .text(name), .integer(now), SQLValue(office)])
    }

    /// The wallboard whose token has this SHA-256.
    public func wallboard(sha256: [UInt8]) throws -> Wallboard? {
        try connection.prepare("SELECT name, office FROM wallboards WHERE sha256 = ?").first([.blob(sha256)]) {
            Wallboard(name: $0.string(0), office: $0.optionalString(1))
        }
    }
}

/// An office screen's board: its name (what `web-revoke` names) and the office it shows, nil
/// for every office.
public struct Wallboard: Sendable, Equatable {
    public var name: String
    public var office: String?
}

/// A signed-in person's session (the cookie holds its id; only the id's SHA-256 is kept).
public struct Session: Sendable, Equatable {
    public var login: String
    /// Carried by every write of the session (a form field, or `X-CSRF-Token`).
    public var csrfToken: String
    public var expiresAt: Int64
}

public struct NewSession: Sendable {
    public var sha256: [UInt8]
    public var csrfToken: String
    public var expiresAt: Int64

    public init(sha256: [UInt8], csrfToken: String, expiresAt: Int64) {
        self.sha256 = sha256
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}
