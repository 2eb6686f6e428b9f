import Hummingbird
import RingbackCore
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
            try caller.mayChange(callbackOwnedBy: try Self.owner(ofCallback: id, in: store, at: now))
            return try Desk.resolve(in: store, callbackID: id, reason: reason, by: caller.recordedAs, now: now)
        }
    }

    func later(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        let body = try await RequestBody(request, context: context, allowed: ["due_at", "note"])
        let text = try body.requiredText("due_at")
        guard let dueAt = TimeParsing.instant(text, zone: zone) else {
            throw APIError(.unprocessableContent, "due_at \"\(text)\" is not a time", field: "due_at")
        }
        let note = try body.optionalText("note")
        let now = clock()
        return try await change { store in
            try caller.mayChange(callbackOwnedBy: try Self.owner(ofCallback: id, in: store, at: now))
            return try Desk.later(in: store, callbackID: id, dueAt: dueAt, note: note, now: now)
        }
    }

    func assign(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        let manager = try await RequestBody(request, context: context, allowed: ["manager_id"]).requiredText("manager_id")
        let now = clock()
        return try await change { store in
            // A manager takes an unassigned callback for themselves; only the head assigns.
            if let own = caller.ownManagerID {
                let owner = try Self.owner(ofCallback: id, in: store, at: now)
                guard manager == own, owner == nil || owner == own else {
                    throw APIError(.forbidden, "a manager takes unassigned callbacks for themselves; the head assigns")
                }
            }
            return try Desk.assign(in: store, callbackID: id, to: manager, now: now)
        }
    }

    func acknowledge(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        _ = try await RequestBody(request, context: context, allowed: [])
        let now = clock()
        return try await change { store in
            if let own = caller.ownManagerID {
                guard let alert = try store.alerts(at: now, kind: nil, state: nil, managerID: nil, id: id).first else {
                    throw StoreRequestError.notFound("no alert \(id)")
                }
                guard alert.managerID == own else { throw APIError(.forbidden, "alert \(id) is another manager's") }
            }
            return try Desk.acknowledge(in: store, alertID: id, by: caller.recordedAs, now: now)
        }
    }

    /// *Call back* (SPEC §9.1): filed for the daemon to send; the answer is the request, its
    /// state `queued`. A key names the extension; a person may, among their own.
    func call(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        let extensionNumber = try await RequestBody(request, context: context, allowed: ["extension"]).optionalText("extension")
        guard let originate = configuration.originate else {
            throw APIError(.notImplemented, "[originate] is not configured: calls are not placed through the PBX here")
        }
        let asker: CallAsker = caller.person.map { .person(managerID: $0.managerID, login: caller.name) } ?? .key(name: caller.name)
        let (plan, now) = (configuration.numbers, clock())
        do {
            let filed = try await store.write { store in
                try Desk.requestCall(in: store, callbackID: id, extensionNumber: extensionNumber, asker: asker,
                                     template: originate.template, plan: plan, now: now)
            }
            return .json(renderer.jsonObject(Listings.callRequest(filed)))
        } catch let error as StoreRequestError {
            throw APIError.from(error)
        }
    }

    /// Who owns callback `id` (nil: unassigned); 404 when there is none.
    static func owner(ofCallback id: Int64, in store: any StoreReading, at now: Int64) throws -> String? {
        guard let callback = try store.callback(id, at: now) else { throw StoreRequestError.notFound("no callback \(id)") }
        return callback.callback.managerID
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
