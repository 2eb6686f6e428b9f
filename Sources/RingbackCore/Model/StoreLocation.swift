/// Where the store is: an SQLite file (the default) or a PostgreSQL database (SPEC §10).
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    /// `url`: `postgresql://user@host:port/database?options`, never with a password in it;
    /// the password is read from `passwordFile`, else from the systemd credential `db.password`,
    /// else libpq's own ways (`~/.pgpass`, `PGPASSWORD`) apply.
    case server(url: String, passwordFile: String?)

    /// The credential's name in `LoadCredential=` / `SetCredentialEncrypted=`.
    public static let credentialName = "db.password"

    public var description: String {
        switch self {
        case .file(let path): path
        case .server(let url, _): PostgresURL.redacted(url)
        }
    }
}
