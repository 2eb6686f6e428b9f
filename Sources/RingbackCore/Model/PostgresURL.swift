/// A PostgreSQL connection string as a person may see it in a message or a log: the
/// password of a `postgresql://user:password@host` URL, or of a `password=` key, replaced.
public enum PostgresURL {
    public static func redacted(_ url: String) -> String {
        if let scheme = url.range(of: "://") {
            let rest = url[scheme.upperBound...]
            // The user information ends at the last '@' before the host's path.
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            guard let at = authority.lastIndex(of: "@"),
                  let colon = authority[..<at].firstIndex(of: ":") else { return dropPasswordKey(url) }
            return dropPasswordKey(String(url[..<authority.index(after: colon)]) + "***" + String(url[at...]))
        }
        return dropPasswordKey(url)
    }

    /// `password=…` in a query string or a key=value string.
    private static func dropPasswordKey(_ text: String) -> String {
        guard let range = text.range(of: "password=") else { return text }
        let end = text[range.upperBound...].firstIndex { $0 == "&" || $0 == " " } ?? text.endIndex
        return String(text[..<range.upperBound]) + "***" + String(text[end...])
    }
}
