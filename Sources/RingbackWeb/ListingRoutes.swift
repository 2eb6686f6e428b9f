import Foundation
import HTTPTypes
import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackReport
import RingbackStore

/// The GETs: `ringback pending`, `missed`, `alerts` and `report` through HTTP, paged.
extension APIRoutes {
    func callbacks(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["manager", "overdue", "limit", "after"])
        let at = try query.at(now: clock())
        let overdue = try query.flag("overdue")
        // `manager=unassigned`: the queue nobody owns yet.
        let manager = query.text("manager")
        try caller.mayList(manager: manager, unassignedToo: true)
        let owners: CallbackOwners = switch manager {
        case "unassigned"?: .unassigned
        case let id?: .manager(id)
        // A manager without `manager=`: what their page shows, their own and the unassigned.
        case nil: caller.ownManagerID.map(CallbackOwners.managerAndUnassigned) ?? .everyone
        }
        return try await listing(request, caller, at: at) { store in
            let rows = try Desk.pending(in: store, at: at, owners: owners, overdueOnly: overdue)
            return try page(rows, id: { String($0.callbackID) }, record: Listings.pending, request: request, query: query)
        }
    }

    func missed(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["since", "until", "manager", "limit", "after"])
        let at = try query.at(now: clock())
        let (since, until, manager) = (try query.time("since"), try query.time("until"), query.text("manager"))
        try caller.mayList(manager: manager, unassignedToo: false)
        let zone = zone
        return try await listing(request, caller, at: at) { store in
            var rows = try Desk.missed(in: store, since: since, until: until, at: at, managerID: manager, zone: zone)
            if let own = caller.ownManagerID, manager == nil { rows = rows.filter { $0.managerID == own || $0.managerID == nil } }
            return try page(rows, id: \.callID, record: Listings.missed, request: request, query: query)
        }
    }

    func alerts(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let caller = try context.caller(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["kind", "state", "manager", "limit", "after"])
        let at = try query.at(now: clock())
        let (kind, state) = (try query.word("kind", as: AlertKind.self), try query.word("state", as: AlertState.self))
        try caller.mayList(manager: query.text("manager"), unassignedToo: false)
        let manager = caller.ownManagerID ?? query.text("manager")
        return try await listing(request, caller, at: at) { store in
            let rows = try Desk.alerts(in: store, at: at, kind: kind, state: state, managerID: manager)
            return try page(rows, id: { String($0.alertID) }, record: Listings.alert, request: request, query: query)
        }
    }

    func report(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        _ = try context.callerForTheHead(needing: .read)
        let query = try QueryValues(request, zone: zone, known: ["day", "week", "office"])
        let at = try query.at(now: clock())
        let (day, week) = (try query.time("day"), try query.time("week"))
        guard day == nil || week == nil else { throw APIError(.badRequest, "give day or week, not both", field: "week") }
        let zone = zone
        let period = week.map { ReportPeriod.week(containing: $0, zone: zone) } ?? .day(containing: day ?? at, zone: zone)
        let dormantDays = configuration.dormantDays
        let office = try await store.office(query.text("office"))
        let report = try await store.read { store in
            try Desk.report(in: store, period: period, at: at, zone: zone, dormantDays: dormantDays, office: office)
        }
        return .json(report.rendered(as: .json, zone: zone))
    }

    /// A listing's answer, read and rendered once per store snapshot for the same question.
    func listing(_ request: Request, _ caller: Caller, at: Int64,
                 read: (any StoreReading) throws -> ListingCache.Answer) async throws -> Response {
        let question = "\(caller.ownManagerID ?? "*")|\(at)|\(request.uri.path)?\(request.uri.query ?? "")"
        let cache = listings
        let answer = try await store.read { store in
            try cache.answer("\(try store.snapshotKey())|\(question)") { try read(store) }
        }
        var response = Response.json(answer.body)
        if let next = answer.next { response.headers[HTTPField.Name("Link")!] = next }
        return response
    }

    /// One page of a listing: `limit` objects after the one whose id is `after`; a
    /// truncated page names the next in `Link`.
    func page<Item>(_ rows: [Item], id: (Item) -> String, record: (Item) -> OutputRecord, request: Request,
                    query: QueryValues) throws -> ListingCache.Answer {
        var limit = Self.pageLimit
        if let text = query.text("limit") {
            guard let value = Int(text), (1...Self.pageLimit).contains(value) else {
                throw APIError(.unprocessableContent, "limit=\(text) is not a number from 1 to \(Self.pageLimit)", field: "limit")
            }
            limit = value
        }
        var start = 0
        if let after = query.text("after") {
            guard let index = rows.firstIndex(where: { id($0) == after }) else {
                throw APIError(.unprocessableContent, "after=\(after) is not an id of this listing", field: "after")
            }
            start = index + 1
        }
        // Only the page becomes objects: a manager may have thousands of open callbacks.
        let shown = rows[start..<min(rows.count, start + limit)]
        var answer = ListingCache.Answer(body: renderer.jsonArray(shown.map(record)), next: nil)
        if start + limit < rows.count, let last = shown.last.map(id) {
            var components = URLComponents()
            components.path = request.uri.path
            let kept = request.uri.queryParameters.filter { $0.key != "after" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
            components.queryItems = kept + [URLQueryItem(name: "after", value: last)]
            // `+` in a time is a literal plus: send it encoded (SPEC §8.4).
            let link = (components.percentEncodedPath) + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            answer.next = "<\(link)>; rel=\"next\""
        }
        return answer
    }
}
