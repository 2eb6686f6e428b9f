import Foundation
import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackStore

/// The session cookie (SPEC §8.2): `HttpOnly`, `SameSite=Lax`, `Secure` under HTTPS, for
/// `[web] session_days`. It holds the session's id; the secrets file only its SHA-256.
enum SessionCookie {
    static let name = "ringback_session"

    static func setting(_ id: String, days: Int, secure: Bool) -> String {
        "\(name)=\(id); Path=/; Max-Age=\(days * 86_400); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    static func clearing(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    /// The person of a live session whose login is an active manager of the directory now:
    /// one marked `active = false`, or no longer in it, is signed out.
    static func caller(sessionID: String, secrets: SecretsAccess, store: StoreAccess, now: Int64) async throws -> Caller? {
        guard let session = try await secrets.session(sha256: Secrets.sha256(sessionID), now: now) else { return nil }
        let login = session.login
        guard let manager = try await store.read({ try $0.loadDirectory().managers.first { $0.login == login && $0.active } })
        else { return nil }
        return Caller(name: login, scope: .write,
                      person: Person(managerID: manager.id, isHead: manager.role == .head, csrfToken: session.csrfToken))
    }
}
