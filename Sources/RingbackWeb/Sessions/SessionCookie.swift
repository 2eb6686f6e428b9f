import Foundation
import Hummingbird

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
}
