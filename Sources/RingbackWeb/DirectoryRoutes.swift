import Foundation
import Hummingbird
import RingbackCore
import RingbackIngest
import RingbackOperations
import RingbackStore

/// What a CRM sends: contacts, and the directory's clients and managers one entry at a time.
extension APIRoutes {
    func contacts(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.callerForTheHead(needing: .contacts)
        let body = try await RequestBody.json(request, context: context)
        let contacts: [Contact]
        do {
            contacts = try ContactsJSON.contacts(body, numbers: configuration.numbers, zone: zone)
        } catch {
            throw APIError(error)
        }
        let now = clock()
        _ = try await store.write { store in try Desk.importContacts(in: store, contacts, now: now) }
        // The contacts as sent (SPEC §8.4).
        return try Self.echo(body)
    }

    /// `PUT /clients/ID`: what a CRM keeps in sync (scope `contacts`).
    func putClient(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let importer = DirectoryImporter(configuration: configuration)
        return try await putEntry(request, context, scope: .contacts, idField: "client_id") { (object, id, numbers) throws(BodyProblem) in
            let client = try DirectoryJSON.client(object, id: id, numbers: numbers)
            return { store in try importer.put(client, into: store, now: clock()) }
        }
    }

    /// `PUT /managers/ID`: never a `contacts` key (a CRM must not make anyone head).
    func putManager(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let importer = DirectoryImporter(configuration: configuration)
        return try await putEntry(request, context, scope: .write, idField: "manager_id") { (object, id, numbers) throws(BodyProblem) in
            let manager = try DirectoryJSON.manager(object, id: id, numbers: numbers, zone: configuration.officeZone)
            let namesAway = object["away_until"] != nil
            return { store in try importer.put(manager, includingAway: namesAway, into: store, now: clock()) }
        }
    }

    /// One directory entry: the caller's scope, the body read into the entry (`parse`
    /// answers with the change to make), the change in one transaction, the entry echoed
    /// with its id.
    private func putEntry(
        _ request: Request, _ context: WebRequestContext, scope: APIScope, idField: String,
        parse: ([String: Any], String, NumberPlan) throws(BodyProblem) -> @Sendable (any StoreWriting) throws -> Void
    ) async throws -> Response {
        _ = try context.callerForTheHead(needing: scope)
        guard let id = context.parameters.get("entry"), !id.isEmpty else { throw APIError(.notFound, "no such entry") }
        guard let object = try await RequestBody.json(request, context: context) as? [String: Any] else {
            throw APIError(.badRequest, "the body must be a JSON object")
        }
        let change: @Sendable (any StoreWriting) throws -> Void
        do {
            change = try parse(object, id, configuration.numbers)
        } catch {
            throw APIError(error)
        }
        do {
            try await store.write(change)
        } catch let error as StoreRequestError {
            throw APIError.from(error)
        }
        return try Self.echo([idField: id].merging(object) { first, _ in first })
    }

    /// A body as sent (an entry with its id), keys sorted.
    static func echo(_ object: Any) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .json(String(decoding: data, as: UTF8.self) + "\n")
    }
}
