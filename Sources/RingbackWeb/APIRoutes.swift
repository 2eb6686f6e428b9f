import Foundation
import HTTPTypes
import Hummingbird
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackOperations
import RingbackReport
import RingbackStore

/// `/api/v1` (SPEC §8.4): each route is another door to an operation of `Desk`, answering
/// with the CLI's JSON, field for field.
struct APIRoutes {
    let store: StoreAccess
    let configuration: RingbackConfiguration
    let clock: @Sendable () -> Int64

    var zone: ZoneConverter { configuration.officeZone }
    var renderer: OutputRenderer { OutputRenderer(format: .json, zone: zone) }

    /// Listings: at most 1,000 objects a page (SPEC §8.4).
    static let pageLimit = 1000

    func add(to group: RouterGroup<WebRequestContext>) {
        group.get("callbacks") { request, context in try await callbacks(request, context) }
        group.get("missed") { request, context in try await missed(request, context) }
        group.get("alerts") { request, context in try await alerts(request, context) }
        group.get("report") { request, context in try await report(request, context) }
        group.post("callbacks/:id/resolve") { request, context in try await resolve(request, context) }
        group.post("callbacks/:id/assign") { request, context in try await assign(request, context) }
        group.post("alerts/:id/ack") { request, context in try await acknowledge(request, context) }
        group.post("contacts") { request, context in try await contacts(request, context) }
        group.put("clients/:entry") { request, context in try await putClient(request, context) }
        group.put("managers/:entry") { request, context in try await putManager(request, context) }
        // Closing the loop in the PBX (SPEC §9) comes with its own issue.
        group.post("callbacks/:id/call") { _, _ -> Response in
            throw APIError(.notImplemented, "one-click callback is not in this version")
        }
        group.get("route") { _, _ -> Response in throw APIError(.notImplemented, "owner-first routing is not in this version") }
    }

    private func callbacks(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["manager", "overdue", "limit", "after"])
        let at = try query.at(now: clock())
        let overdue = try query.flag("overdue")
        // `manager=unassigned`: the queue nobody owns yet.
        let manager = query.text("manager")
        let rows = try await store.read { store in
            try Desk.pending(in: store, at: at, managerID: manager == "unassigned" ? nil : manager, overdueOnly: overdue)
        }
        let listed = manager == "unassigned" ? rows.filter { Self.isNull($0, "manager_id") } : rows
        return try page(listed, id: "callback_id", request: request, query: query)
    }

    private func missed(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["since", "until", "manager", "limit", "after"])
        let at = try query.at(now: clock())
        let (since, until, manager) = (try query.time("since"), try query.time("until"), query.text("manager"))
        let zone = zone
        let rows = try await store.read { store in
            try Desk.missed(in: store, since: since, until: until, at: at, managerID: manager, zone: zone)
        }
        return try page(rows, id: "call_id", request: request, query: query)
    }

    private func alerts(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["kind", "state", "manager", "limit", "after"])
        let at = try query.at(now: clock())
        let (kind, state) = (try query.word("kind", as: AlertKind.self), try query.word("state", as: AlertState.self))
        let manager = query.text("manager")
        let rows = try await store.read { store in
            try Desk.alerts(in: store, at: at, kind: kind, state: state, managerID: manager)
        }
        return try page(rows, id: "alert_id", request: request, query: query)
    }

    private func report(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["day", "week"])
        let at = try query.at(now: clock())
        let (day, week) = (try query.time("day"), try query.time("week"))
        guard day == nil || week == nil else { throw APIError(.badRequest, "give day or week, not both", field: "week") }
        let zone = zone
        let period = week.map { ReportPeriod.week(containing: $0, zone: zone) } ?? .day(containing: day ?? at, zone: zone)
        let dormantDays = configuration.dormantDays
        let report = try await store.read { store in
            try Desk.report(in: store, period: period, at: at, zone: zone, dormantDays: dormantDays)
        }
        return .json(report.rendered(as: .json, zone: zone))
    }

    private func resolve(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        let reason = try await RequestBody(request, context: context, allowed: ["reason"]).requiredText("reason")
        let now = clock()
        return try await change { store in
            try Desk.resolve(in: store, callbackID: id, reason: reason, by: caller.recordedAs, now: now)
        }
    }

    private func assign(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.caller(needing: .write)
        let id = try Self.id(context)
        let manager = try await RequestBody(request, context: context, allowed: ["manager_id"]).requiredText("manager_id")
        let now = clock()
        return try await change { store in try Desk.assign(in: store, callbackID: id, to: manager, now: now) }
    }

    private func acknowledge(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .write)
        let id = try Self.id(context)
        _ = try await RequestBody(request, context: context, allowed: [])
        let now = clock()
        return try await change { store in try Desk.acknowledge(in: store, alertID: id, by: caller.recordedAs, now: now) }
    }

    private func contacts(_ request: Request, _ context: WebRequestContext) async throws -> Response {
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
    private func putClient(_ request: Request, _ context: WebRequestContext) async throws -> Response {
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
    private func putManager(_ request: Request, _ context: WebRequestContext) async throws -> Response {
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

    private func entry(_ request: Request, _ context: WebRequestContext) async throws -> (String, [String: Any]) {
        guard let id = context.parameters.get("entry"), !id.isEmpty else { throw APIError(.notFound, "no such entry") }
        guard let object = try await RequestBody.json(request, context: context) as? [String: Any] else {
            throw APIError(.badRequest, "the body must be a JSON object")
        }
        return (id, object)
    }

    private func directoryChange(_ body: @Sendable (any StoreWriting) throws -> Void) async throws {
        do {
            try await store.write(body)
        } catch let error as StoreRequestError {
            throw APIError.from(error)
        }
    }

    /// The entry as sent, with its id.
    private static func echo(_ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return .json(String(decoding: data, as: UTF8.self) + "\n")
    }

    /// A write, answered with the changed object; what the store refused keeps its meaning.
    private func change(_ body: @Sendable (any StoreWriting) throws -> OutputRecord) async throws -> Response {
        do {
            return .json(renderer.jsonObject(try await store.write(body)))
        } catch let error as StoreRequestError {
            throw APIError.from(error)
        }
    }

    /// One page of a listing: `limit` objects after the one whose id is `after`; a
    /// truncated page names the next in `Link`.
    private func page(_ rows: [OutputRecord], id: String, request: Request, query: QueryValues) throws -> Response {
        var limit = Self.pageLimit
        if let text = query.text("limit") {
            guard let value = Int(text), (1...Self.pageLimit).contains(value) else {
                throw APIError(.unprocessableContent, "limit=\(text) is not a number from 1 to \(Self.pageLimit)", field: "limit")
            }
            limit = value
        }
        var start = 0
        if let after = query.text("after") {
            guard let index = rows.firstIndex(where: { Self.text($0, id) == after }) else {
                throw APIError(.unprocessableContent, "after=\(after) is not an id of this listing", field: "after")
            }
            start = index + 1
        }
        let shown = Array(rows[start..<min(rows.count, start + limit)])
        var response = Response.json(renderer.jsonArray(shown))
        if start + limit < rows.count, let last = shown.last.flatMap({ Self.text($0, id) }) {
            var components = URLComponents()
            components.path = request.uri.path
            let kept = request.uri.queryParameters.filter { $0.key != "after" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
            components.queryItems = kept + [URLQueryItem(name: "after", value: last)]
            // `+` in a time is a literal plus: send it encoded (SPEC §8.4).
            let link = (components.percentEncodedPath) + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            response.headers[HTTPField.Name("Link")!] = "<\(link)>; rel=\"next\""
        }
        return response
    }

    private static func id(_ context: WebRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError(.notFound, "no such id: \(context.parameters.get("id") ?? "")")
        }
        return id
    }

    private static func text(_ record: OutputRecord, _ name: String) -> String? {
        switch record.first(where: { $0.name == name })?.value {
        case .integer(let value)?: String(value)
        case .text(let value)?: value
        default: nil
        }
    }

    private static func isNull(_ record: OutputRecord, _ name: String) -> Bool {
        if case .null? = record.first(where: { $0.name == name })?.value { return true }
        return false
    }
}
