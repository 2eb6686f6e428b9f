import Hummingbird
import RingbackOperations
import RingbackStore

/// The changes to a callback or an alert: `ringback resolve`, `assign`, `ack` through HTTP.
extension APIRoutes {
    func resolve(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        let reason = try await RequestBody(request, context: context, allowed: ["reason"]).requiredText("reason")
        let now = clock()
        return try await change { store in
            try Desk.resolve(in: store, callbackID: id, reason: reason, by: caller.recordedAs, now: now)
        }
    }

    func assign(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .write)
        let id = try Self.id(context)
        let manager = try await RequestBody(request, context: context, allowed: ["manager_id"]).requiredText("manager_id")
        let now = clock()
        return try await change { store in try Desk.assign(in: store, callbackID: id, to: manager, now: now) }
    }

    func acknowledge(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        _ = try await RequestBody(request, context: context, allowed: [])
        let now = clock()
        return try await change { store in try Desk.acknowledge(in: store, alertID: id, by: caller.recordedAs, now: now) }
    }

    /// A write, answered with the changed object; what the store refused keeps its meaning.
    func change(_ body: @Sendable (any StoreWriting) throws -> OutputRecord) async throws -> Response {
        do {
            return .json(renderer.jsonObject(try await store.write(body)))
        } catch let error as StoreRequestError {
            throw APIError.from(error)
        }
    }
}
