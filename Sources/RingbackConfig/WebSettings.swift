/// `[web]` (SPEC §8.1): how `ringback-web` listens, and where its secrets live.
public struct WebSettings: Sendable, Equatable {
    public var listen = ListenAddress.tcp(host: "127.0.0.1", port: 8080)
    /// A listen address other than loopback needs this, and then TLS or a trusted proxy.
    public var allowRemote = false
    /// PEM files; with both set the server speaks HTTPS only.
    public var tls: TLSFiles?
    /// The address of a reverse proxy whose X-Forwarded-Proto/-For are believed.
    public var trustedProxy = ""
    /// The proxy's header naming the signed-in login, believed only with the proxy's secret.
    public var userHeader = ""
    public var proxySecretFile = ""
    /// What sign-in links begin with; required when `listen` is not loopback.
    public var publicURL = ""
    public var sessionDays = 30
    public var language = PageLanguage.english
    /// Sessions, sign-in links and API keys: the service user's own file (0600).
    public var secretsPath = "/var/lib/ringback/web.db"

    public init() {}

    /// What sign-in and wallboard links begin with: `public_url` (without a trailing `/`),
    /// or the loopback listener's own address; nil on a Unix socket without `public_url`.
    public var linkBase: String? {
        if !publicURL.isEmpty { return String(publicURL.reversed().drop { $0 == "/" }.reversed()) }
        guard case .tcp(let host, let port) = listen else { return nil }
        let shown = host.contains(":") ? "[\(host)]" : host
        return "\(tls == nil ? "http" : "https")://\(shown):\(port)"
    }
}

/// `[web] tls_certificate` and `tls_key`.
public struct TLSFiles: Sendable, Equatable {
    public var certificate: String
    public var key: String
}

/// `[web] language`: the language of the pages.
public enum PageLanguage: String, Sendable, CaseIterable {
    case english = "en"
    case russian = "ru"
}
