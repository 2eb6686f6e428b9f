import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackStore

/// An answer other than success, for a person (SPEC §8.4): `{"error": "…", "field": …}`
/// with its status. Never a stack trace, a SQL text or a path.
public struct APIError: HTTPResponseError {
    public var status: HTTPResponse.Status
    public var message: String
    /// Where in the request, e.g. `at` or `[3].created_at`; nil for the request as a whole.
    public var field: String?

    public init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = "{\"error\": \(JSONValue.quoted(message)), \"field\": \(field.map(JSONValue.quoted) ?? "null")}\n"
        var response = Response.json(body, status: status)
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    /// A body of the wrong shape is 400; the right shape with a value that makes no sense, 422.
    init(_ problem: BodyProblem) {
        self.init(problem.isShape ? .badRequest : .unprocessableContent, problem.reason, field: problem.field)
    }

    /// What the store refused, as the status the API gives it.
    static func from(_ error: StoreRequestError) -> APIError {
        switch error {
        case .notFound(let reason): APIError(.notFound, reason)
        case .notOpen(let reason): APIError(.conflict, reason)
        case .invalid(let field, let reason): APIError(.unprocessableContent, reason, field: field)
        case .forbidden(let reason): APIError(.forbidden, reason)
        case .busy(let reason): APIError(.conflict, reason)
        case .tooSoon(let reason): APIError(.tooManyRequests, reason)
        }
    }
}

extension Response {
    /// A JSON body the listings' renderer (or `APIError`) wrote.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension StoreAccess {
    /// The office a request's `office=` names (nil or `all`: every office), checked with
    /// `Desk.office`; one the store does not know is refused with the offices it knows.
    func office(_ asked: String?) async throws -> String? {
        do {
            return try await read { try Desk.office(asked, in: $0, field: "office") }
        } catch let refusal as StoreRequestError {
            throw APIError.from(refusal)
        }
    }
}
