/// Why a JSON request body is refused, and where (`[3].created_at`, `phones[1]`).
public struct BodyProblem: Error, Equatable {
    /// A wrong shape (not an object, an unknown field, a wrong type) rather than a value
    /// that does not make sense.
    public var isShape: Bool
    public var field: String?
    public var reason: String
}
