import HTTPTypes
import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackStore

/// Who is asking (SPEC §8.2, §8.4): `Authorization: Bearer KEY`, the key's SHA-256 looked up
/// in the secrets file; else the signed-in person (`PersonIdentification`), whose writes
/// carry their CSRF token in `X-CSRF-Token`. Neither, or an unknown, revoked or expired
/// one, is 401. Keys and session ids are never logged.
struct KeyAuthentication: RouterMiddleware {
    typealias Context = WebRequestContext
    let secrets: SecretsAccess

    func handle(_ request: Request, context: WebRequestContext,
                next: (Request, WebRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.caller = try await caller(of: request, context)
        if let person = context.caller?.person, ![.get, .head].contains(request.method) {
            let sent = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
            guard Secrets.equalInConstantTime(sent, person.csrfToken) else {
                throw APIError(.forbidden, "a change from a signed-in browser carries its CSRF token (X-CSRF-Token)")
            }
        }
        return try await next(request, context)
    }

    /// The key's owner or the session's person; 401 without either.
    func caller(of request: Request, _ context: WebRequestContext) async throws -> Caller {
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer ") else {
                throw APIError(.unauthorized, "send the key as Authorization: Bearer KEY (ringback api-key create)")
            }
            let key = header.dropFirst("Bearer ".count).trimmingCharacters(in: .whitespaces)
            guard let found = try await secrets.key(sha256: Secrets.sha256(key)) else {
                throw APIError(.unauthorized, "this API key is unknown or revoked")
            }
            return Caller(name: found.name, scope: found.scope, person: nil)
        }
        if let person = context.caller { return person }
        if request.cookies[SessionCookie.name] != nil {
            throw APIError(.unauthorized, "this session has ended: sign in again")
        }
        throw APIError(.unauthorized, "an API key is needed: send Authorization: Bearer KEY (ringback api-key create)")
    }
}

extension WebRequestContext {
    /// The caller, who must hold `scope` (a `write` key holds every scope). A person passes;
    /// what is theirs is checked where the object is known.
    func caller(needing scope: APIScope) throws -> Caller {
        guard let caller else { throw APIError(.unauthorized, "an API key is needed") }
        guard caller.scope == scope || caller.scope == .write else {
            throw APIError(.forbidden, "the key \(caller.name) has the scope \(caller.scope.rawValue); this needs \(scope.rawValue)")
        }
        return caller
    }

    /// As `caller(needing:)`, and a person must be the head: the report, contacts, the directory.
    func callerForTheHead(needing scope: APIScope) throws -> Caller {
        let caller = try caller(needing: scope)
        if let person = caller.person, !person.isHead { throw APIError(.forbidden, "this is for the head of sales") }
        return caller
    }
}

extension Caller {
    /// A manager's own id, nil for the head or a key: who sees only what is theirs.
    var ownManagerID: String? { person.flatMap { $0.isHead ? nil : $0.managerID } }

    /// A manager may list their own (and, where there is one, the unassigned queue), never
    /// another manager's: 403 (SPEC §8.4).
    func mayList(manager: String?, unassignedToo: Bool) throws {
        guard let own = ownManagerID, let manager, manager != own, !(unassignedToo && manager == "unassigned") else { return }
        throw APIError(.forbidden, "manager=\(manager) is another manager's list")
    }

    /// A manager acts on their own callbacks and on the unassigned queue.
    func mayChange(callbackOwnedBy owner: String?) throws {
        guard let own = ownManagerID, let owner, owner != own else { return }
        throw APIError(.forbidden, "this callback is another manager's")
    }
}
