/// What an API key may do (SPEC §8.4).
public enum APIScope: String, Sendable, CaseIterable, Codable {
    /// The GETs.
    case read
    /// What a CRM needs: `POST /contacts` and `PUT /clients`, never the managers (a CRM key
    /// must not make anyone head).
    case contacts
    /// Everything.
    case write
}
