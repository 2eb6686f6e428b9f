import Foundation
import Hummingbird
import RingbackConfig
import RingbackCore
import RingbackOperations
import RingbackReport
import RingbackStore

/// The desk (SPEC §8.3): `/` lists a manager's callbacks (their own and the unassigned
/// queue) or, for the head, every open one; its forms resolve, take and assign, each with
/// the session's CSRF token, through the same operations as the CLI and the API.
struct DeskRoutes: Sendable {
    let secrets: SecretsAccess
    let store: StoreAccess
    let identification: PersonIdentification
    let configuration: RingbackConfiguration
    let clock: @Sendable () -> Int64
    let pages: PageRenderer

    func add(to router: Router<WebRequestContext>) {
        router.get("/") { request, context in
            try await desk(context, notice: nil, office: request.uri.queryParameters.get("office"))
        }
        router.get("events") { request, context in try await events(request, context) }
        router.get("wallboard/:token/events") { _, context in try await wallboardEvents(context) }
        router.get("callbacks/:id") { _, context in try await callbackStory(context) }
        router.get("calls/:call") { _, context in try await callLegs(context) }
        router.get("alerts") { _, context in try await alerts(context, notice: nil) }
        router.get("status") { _, context in try await status(context) }
        router.get("wallboard/:token") { _, context in try await wallboard(context) }
        router.get("report") { request, context in try await report(request, context) }
        router.get("search") { request, context in try await search(request, context) }
        router.post("alerts/:id/ack") { request, context in try await acknowledge(request, context) }
        router.post("callbacks/:id/resolve") { request, context in try await act(request, context, action: .resolve) }
        router.post("callbacks/:id/take") { request, context in try await act(request, context, action: .take) }
        router.post("callbacks/:id/later") { request, context in try await act(request, context, action: .later) }
        router.post("callbacks/:id/assign") { request, context in try await act(request, context, action: .assign) }
        router.post("callbacks/:id/call") { request, context in try await act(request, context, action: .call) }
    }

    private enum Action { case resolve, take, assign, later, call }

    /// The signed-in person of the request, or nil.
    func person(_ context: WebRequestContext) -> (caller: Caller, person: Person)? {
        guard let caller = context.caller, let person = caller.person else { return nil }
        return (caller, person)
    }

    /// `office`: the head's board of one office's calls (`/?office=kzn`, SPEC §10).
    private func desk(_ context: WebRequestContext, notice: String?, status: HTTPResponse.Status = .ok,
                      office: String? = nil) async throws -> Response {
        guard let (caller, person) = person(context) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        let now = clock()
        let zone = configuration.officeZone
        let configuration = configuration
        let offices: [String], chosen: String?
        do {
            (offices, chosen) = try await store.read { (try $0.offices(), try Desk.office(office, in: $0)) }
        } catch is StoreRequestError {
            return notFound()
        }
        let (list, managers, report) = try await store.read { store in
            (try DeskList.load(in: store, for: person, at: now), try store.loadDirectory().managers.filter(\.active),
             person.isHead ? try LiveEvents.board(in: store, at: now, configuration, office: chosen) : nil)
        }
        let text = PageText.strings(pages.language)
        func rows(_ section: DeskList.Section) -> [[String: Any]] {
            section.callbacks.map { callback in
                let due = callback.overdue ? "\(text["overdueSince"] ?? "") \(Self.clock(callback.dueAt, zone: zone, now: now))"
                    : "\(text["due"] ?? "") \(Self.clock(callback.dueAt, zone: zone, now: now))"
                var facts = ["\(text["missed"] ?? ""): \(callback.missedCount)", "\(text["attempts"] ?? ""): \(callback.attempts)", due]
                if callback.managerID == nil { facts.append(text["unassigned"] ?? "") }
                // A key left out, not an empty string: Mustache's sections show for any string.
                var row: [String: Any] = ["id": callback.callbackID, "number": callback.number, "overdue": callback.overdue,
                                          "facts": facts.joined(separator: " · "),
                                          "canTake": !person.isHead && callback.managerID == nil, "canAssign": person.isHead]
                row["clientName"] = callback.clientName
                row["abc"] = callback.abc
                return row
            }
        }
        /// "Showing 200 of 1,836", only when some are left out.
        func more(_ section: DeskList.Section) -> String? {
            section.total > section.callbacks.count
                ? PageText.format(text["moreNote"] ?? "", String(section.callbacks.count), String(section.total)) : nil
        }
        var values: [String: Any] = [
            "name": caller.name, "csrfToken": person.csrfToken, "queue": rows(list.queue),
            "heading": text[person.isHead ? "boardTitle" : "myCallbacks"] ?? "",
            "managers": managers.map { ["managerID": $0.id, "managerName": $0.name] },
        ]
        if let own = list.own {
            values["own"] = rows(own)
            values["ownMore"] = more(own)
        }
        values["queueMore"] = more(list.queue)
        if let away = list.away, !away.callbacks.isEmpty {
            values["awayCallbacks"] = rows(away)
            values["hasAway"] = true
            values["awayMore"] = more(away)
        }
        values["notice"] = notice
        values["canCall"] = configuration.originate != nil
        // Several phones (a desk phone and a softphone): the manager picks which one rings.
        if let phones = managers.first(where: { $0.id == person.managerID })?.extensions, phones.count > 1 {
            values["phones"] = phones
            values["choosePhone"] = true
        }
        values["live"] = true
        values["events"] = person.isHead ? "/events?follow=callbacks,board" + (chosen.map { "&office=\($0)" } ?? "")
            : "/events?follow=callbacks"
        if person.isHead, offices.count > 1 {
            values["hasOffices"] = true
            values["offices"] = ([("all", text["allOffices"] ?? "all")] + offices.map { ($0, $0) }).map { name, label in
                ["href": name == "all" ? "/" : "/?office=\(name)", "label": label, "current": (chosen ?? "all") == name]
            }
        }
        values["liveCallbacks"] = list.state
        values["hasSession"] = person.hasSession
        values["isHead"] = person.isHead
        if let report {
            let away = Dictionary(managers.compactMap { m in m.awayUntil.flatMap { m.isAway(at: now) ? (m.id, $0) : nil } }) { a, _ in a }
            values.merge(BoardView.values(report, text: text, zone: zone, now: now, awayUntil: away)) { first, _ in first }
            values["liveBoard"] = LiveEvents.state(of: report)
        }
        return pages.page("desk", title: person.isHead ? "boardTitle" : "myCallbacks", values: values, status: status)
    }

    /// `HH:MM` today, else the date too, in the calendar's zone.
    static func clock(_ instant: Int64, zone: ZoneConverter, now: Int64) -> String {
        let (c, today) = (zone.civil(of: instant), zone.civil(of: now))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        let time = "\(two(c.hour)):\(two(c.minute))"
        return (c.year, c.month, c.day) == (today.year, today.month, today.day) ? time : "\(c.year)-\(two(c.month))-\(two(c.day)) \(time)"
    }

    /// A form's change: refused without the session's CSRF token; what the store refused
    /// (someone resolved it meanwhile, another manager's) is said on the desk, with the
    /// API's status; done, back to the desk (303, so a reload posts nothing again).
    private func act(_ request: Request, _ context: WebRequestContext, action: Action) async throws -> Response {
        let form = try await FormBody(request)
        guard let (caller, person) = person(context) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard Secrets.equalInConstantTime(form["csrf_token"] ?? "", person.csrfToken) else {
            return pages.page("signedout", title: "signedOutTitle", status: .forbidden)
        }
        let text = PageText.strings(pages.language)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else {
            return try await desk(context, notice: nil, status: .notFound)
        }
        let now = clock()
        let reason = form["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let target = action == .take ? person.managerID : form["manager_id"] ?? ""
        let promised = form["due_at"].flatMap { TimeParsing.instant($0, zone: configuration.officeZone) }
        let missing: String? = switch action {
        case .resolve: reason.isEmpty ? "reason" : nil
        case .assign: target.isEmpty ? "manager_id" : nil
        case .later: promised == nil ? "due_at" : nil
        case .take, .call: nil
        }
        if let missing {
            return try await desk(context, notice: PageText.format(text["badForm"] ?? "", missing), status: .unprocessableContent)
        }
        do {
            _ = try await store.write { store -> OutputRecord in
                try caller.mayChange(callbackOwnedBy: try APIRoutes.owner(ofCallback: id, in: store, at: now))
                switch action {
                case .resolve:
                    return try Desk.resolve(in: store, callbackID: id, reason: reason, by: caller.recordedAs, now: now)
                case .later:
                    let note = form["note"].flatMap { $0.isEmpty ? nil : $0 }
                    return try Desk.later(in: store, callbackID: id, dueAt: promised!, note: note, now: now)
                case .take, .assign:
                    guard person.isHead || action == .take else { throw APIError(.forbidden, "only the head assigns") }
                    return try Desk.assign(in: store, callbackID: id, to: target, now: now)
                case .call:
                    guard let originate = configuration.originate else {
                        throw StoreRequestError.invalid(field: "call", "calls are not placed through the PBX here")
                    }
                    return Listings.callRequest(try Desk.requestCall(
                        in: store, callbackID: id, extensionNumber: form["extension"].flatMap { $0.isEmpty ? nil : $0 },
                        asker: .person(managerID: person.managerID, login: caller.name), template: originate.template,
                        plan: configuration.numbers, now: now))
                }
            }
        } catch StoreRequestError.notOpen(let why) {
            return try await desk(context, notice: PageText.format(text["noLongerOpen"] ?? "", String(id), why), status: .conflict)
        } catch let error as APIError where error.status == .forbidden {
            return try await desk(context, notice: PageText.format(text["notYours"] ?? "", String(id)), status: .forbidden)
        } catch StoreRequestError.notFound {
            return try await desk(context, notice: nil, status: .notFound)
        } catch StoreRequestError.invalid(_, let why) {
            return try await desk(context, notice: PageText.format(text["refused"] ?? "", String(id), why), status: .unprocessableContent)
        } catch let error as StoreRequestError {
            // Not theirs to call, rung already, asked again too soon: what happened, in the API's status.
            return try await desk(context, notice: PageText.format(text["refused"] ?? "", String(id), error.description),
                                  status: APIError.from(error).status)
        }
        // A call's outcome shows in the callback's story, where its requests are.
        return Response(status: .seeOther, headers: [.location: action == .call ? "/callbacks/\(id)" : "/"])
    }

    /// A signed-in person's stream of what their page follows.
    private func events(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        guard let person = context.caller?.person else { throw APIError(.unauthorized, "sign in first") }
        let identification = identification
        var live = live
        live.office = try await store.office(request.uri.queryParameters.get("office"))
        return live.stream(LiveEvents.parts(request.uri.queryParameters.get("follow"), for: person), for: .person(person)) {
            // A session revoked or a person switched off meanwhile hears no more.
            try await identification.caller(of: request, context)?.person == person
        }
    }

    /// The wallboard's stream of the day's board (its office's), until its link is revoked.
    private func wallboardEvents(_ context: WebRequestContext) async throws -> Response {
        let hash = Secrets.sha256(context.parameters.get("token") ?? "")
        guard let board = try await secrets.wallboard(sha256: hash) else { return notFound() }
        let secrets = secrets
        var live = live
        live.office = board.office
        return live.stream([.board], for: .wallboard) { try await secrets.wallboard(sha256: hash) != nil }
    }

    var live: LiveEvents { LiveEvents(store: store, configuration: configuration, clock: clock) }

    /// Not there, or not this person's to see: the same answer, so a URL edited by hand
    /// learns nothing of another manager's callbacks.
    func notFound() -> Response {
        pages.page("message", title: "notFound", values: ["message": PageText.strings(pages.language)["notFound"] ?? ""],
                   status: .notFound)
    }
}
