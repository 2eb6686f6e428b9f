import Hummingbird
import RingbackCore
import RingbackOperations

/// `Authorization: Bearer KEY` (SPEC §8.4): the key's SHA-256 looked up in the secrets
/// file; no key or an unknown or revoked one is 401. The key itself is never logged.
struct KeyAuthentication: RouterMiddleware {
    typealias Context = WebRequestContext
    let secrets: SecretsAccess

    func handle(_ request: Request, context: WebRequestContext,
                next: (Request, WebRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.caller = try await caller(of: request)
        return try await next(request, context)
    }

    /// The key's owner; 401 without a key, or with an unknown or revoked one.
    func caller(of request: Request) async throws -> Caller {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw APIError(.unauthorized, "an API key is needed: send Authorization: Bearer KEY (ringback api-key create)")
        }
        let key = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let found = try await secrets.key(sha256: Secrets.sha256(key)) else {
            throw APIError(.unauthorized, "this API key is unknown or revoked")
        }
        return Caller(name: found.name, scope: found.scope)
    }
}

extension WebRequestContext {
    /// The caller, who must hold `scope` (a `write` key holds every scope).
    func caller(needing scope: APIScope) throws -> Caller {
        guard let caller else { throw APIError(.unauthorized, "an API key is needed") }
        guard caller.scope == scope || caller.scope == .write else {
            throw APIError(.forbidden, "the key \(caller.name) has the scope \(caller.scope.rawValue); this needs \(scope.rawValue)")
        }
        return caller
    }
}
