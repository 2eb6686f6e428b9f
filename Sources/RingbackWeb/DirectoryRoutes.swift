import Foundation
import Hummingbird
import RingbackCore
import RingbackIngest
import RingbackOperations
import RingbackStore

/// What a CRM sends: contacts, and the directory's clients and managers one entry at a time.
extension APIRoutes {
    func contacts(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .contacts)
        let body = try await RequestBody.json(request, context: context)
        let contacts: [Contact]
        do {
            contacts = try ContactsJSON.contacts(body, numbers: configuration.numbers, zone: zone)
        } catch {
            throw APIError(error.isShape ? .badRequest : .unprocessableContent, error.reason, field: error.field)
        }
        let now = clock()
        _ = try await store.write { store in try Desk.importContacts(in: store, contacts, now: now) }
        // The contacts as sent (SPEC §8.4).
        let echoed = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return .json(String(decoding: echoed, as: UTF8.self) + "\n")
    }

    /// `PUT /clients/ID`: what a CRM keeps in sync (scope `contacts`).
    func putClient(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .contacts)
        let (id, object) = try await entry(request, context)
        let client: Client
        do {
            client = try DirectoryJSON.client(object, id: id, numbers: configuration.numbers)
        } catch {
            throw APIError(error.isShape ? .badRequest : .unprocessableContent, error.reason, field: error.field)
        }
        let importer = DirectoryImporter(configuration: configuration)
        try await directoryChange { store in try importer.put(client, into: store) }
        return try Self.echo(["client_id": id].merging(object) { first, _ in first })
    }

    /// `PUT /managers/ID`: never a `contacts` key (a CRM must not make anyone head).
    func putManager(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .write)
        let (id, object) = try await entry(request, context)
        let manager: Manager
        do {
            manager = try DirectoryJSON.manager(object, id: id, numbers: configuration.numbers)
        } catch {
            throw APIError(error.isShape ? .badRequest : .unprocessableContent, error.reason, field: error.field)
        }
        let importer = DirectoryImporter(configuration: configuration)
        try await directoryChange { store in try importer.put(manager, into: store) }
        return try Self.echo(["manager_id": id].merging(object) { first, _ in first })
    }

    func entry(_ request: Request, _ context: WebRequestContext) async throws -> (String, [String: Any]) {
        guard let id = context.parameters.get("entry"), !id.isEmpty else { throw APIError(.notFound, "no such entry") }
        guard let object = try await RequestBody.json(request, context: context) as? [String: Any] else {
            throw APIError(.badRequest, "the body must be a JSON object")
        }
        return (id, object)
    }

    func directoryChange(_ body: @Sendable (any StoreWriting) throws -> Void) async throws {
        do {
            try await store.write(body)
        } catch let error as StoreRequestError {
            throw APIError.from(error)
        }
    }

    /// The entry as sent, with its id.
    static func echo(_ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .json(String(decoding: data, as: UTF8.self) + "\n")
    }
}
