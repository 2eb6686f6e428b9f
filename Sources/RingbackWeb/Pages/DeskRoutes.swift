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
    let configuration: RingbackConfiguration
    let clock: @Sendable () -> Int64
    let pages: PageRenderer

    func add(to router: Router<WebRequestContext>) {
        router.get("/") { request, _ in try await desk(request, notice: nil) }
        router.get("events") { request, _ in try await LiveEvents(secrets: secrets, store: store, clock: clock).stream(request) }
        router.get("callbacks/:id") { request, context in try await callbackStory(request, context) }
        router.get("calls/:call") { request, context in try await callLegs(request, context) }
        router.get("alerts") { request, _ in try await alerts(request, notice: nil) }
        router.get("status") { request, _ in try await status(request) }
        router.get("wallboard/:token") { _, context in try await wallboard(context) }
        router.get("report") { request, _ in try await report(request) }
        router.get("search") { request, _ in try await search(request) }
        router.post("alerts/:id/ack") { request, context in try await acknowledge(request, context) }
        router.post("callbacks/:id/resolve") { request, context in try await act(request, context, action: .resolve) }
        router.post("callbacks/:id/take") { request, context in try await act(request, context, action: .take) }
        router.post("callbacks/:id/later") { request, context in try await act(request, context, action: .later) }
        router.post("callbacks/:id/assign") { request, context in try await act(request, context, action: .assign) }
    }

    private enum Action { case resolve, take, assign, later }

    /// The signed-in person of the request, or nil.
    private func person(_ request: Request) async throws -> (caller: Caller, person: Person)? {
        guard let id = request.cookies[SessionCookie.name]?.value,
              let caller = try await SessionCookie.caller(sessionID: id, secrets: secrets, store: store, now: clock()),
              let person = caller.person else { return nil }
        return (caller, person)
    }

    private func desk(_ request: Request, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let (caller, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        let now = clock()
        // The head's page is the day's board, then the unassigned queue to assign from.
        let owners: CallbackOwners = person.isHead ? .unassigned : .managerAndUnassigned(person.managerID)
        let zone = configuration.officeZone
        let dormantDays = configuration.dormantDays
        let (callbacks, managers, report) = try await store.read { store in
            (try Desk.pending(in: store, at: now, owners: owners, overdueOnly: false),
             try store.loadDirectory().managers.filter(\.active),
             person.isHead ? try Desk.report(in: store, period: .day(containing: now, zone: zone), at: now, zone: zone,
                                             dormantDays: dormantDays) : nil)
        }
        let text = PageText.strings(pages.language)
        let rows: [[String: Any]] = callbacks.map { callback in
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
        var values: [String: Any] = [
            "name": caller.name, "csrfToken": person.csrfToken, "callbacks": rows,
            "heading": text[person.isHead ? "boardTitle" : "myCallbacks"] ?? "",
            "managers": managers.map { ["managerID": $0.id, "managerName": $0.name] },
        ]
        values["notice"] = notice
        values["live"] = true
        values["state"] = LiveEvents.state(of: callbacks)
        values["isHead"] = person.isHead
        if let report { values.merge(BoardView.values(report, text: text, zone: zone, now: now)) { first, _ in first } }
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
        guard let (caller, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard Secrets.equalInConstantTime(form["csrf_token"] ?? "", person.csrfToken) else {
            return pages.page("signedout", title: "signedOutTitle", status: .forbidden)
        }
        let text = PageText.strings(pages.language)
        guard let id = context.parameters.get("id").flatMap(Int64.init) else {
            return try await desk(request, notice: nil, status: .notFound)
        }
        let now = clock()
        let reason = form["reason"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let target = action == .take ? person.managerID : form["manager_id"] ?? ""
        let promised = form["due_at"].flatMap { TimeParsing.instant($0, zone: configuration.officeZone) }
        let missing: String? = switch action {
        case .resolve: reason.isEmpty ? "reason" : nil
        case .assign: target.isEmpty ? "manager_id" : nil
        case .later: promised == nil ? "due_at" : nil
        case .take: nil
        }
        if let missing {
            return try await desk(request, notice: PageText.format(text["badForm"] ?? "", missing), status: .unprocessableContent)
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
                }
            }
        } catch StoreRequestError.notOpen(let why) {
            return try await desk(request, notice: PageText.format(text["noLongerOpen"] ?? "", String(id), why), status: .conflict)
        } catch let error as APIError where error.status == .forbidden {
            return try await desk(request, notice: PageText.format(text["notYours"] ?? "", String(id)), status: .forbidden)
        } catch StoreRequestError.notFound {
            return try await desk(request, notice: nil, status: .notFound)
        } catch StoreRequestError.invalid(_, let why) {
            return try await desk(request, notice: PageText.format(text["refused"] ?? "", String(id), why), status: .unprocessableContent)
        }
        return Response(status: .seeOther, headers: [.location: "/"])
    }

    /// Not there, or not this person's to see: the same answer, so a URL edited by hand
    /// learns nothing of another manager's callbacks.
    private func notFound() -> Response {
        pages.page("message", title: "notFound", values: ["message": PageText.strings(pages.language)["notFound"] ?? ""],
                   status: .notFound)
    }

    /// `/callbacks/ID`: the callback and every call of its story.
    private func callbackStory(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { return notFound() }
        let now = clock()
        guard let (record, story) = try await store.read({ store -> (CallbackRecord, [StoryCall])? in
            guard let record = try store.callback(id, at: now) else { return nil }
            return (record, try store.story(ofCallback: id))
        }) else { return notFound() }
        let callback = record.callback
        guard person.isHead || callback.managerID == nil || callback.managerID == person.managerID else { return notFound() }
        let text = PageText.strings(pages.language)
        let zone = configuration.officeZone
        var facts = ["\(text["missed"] ?? ""): \(callback.missedCount)", "\(text["attempts"] ?? ""): \(callback.attempts)",
                     "\(text["due"] ?? "") \(Self.clock(callback.dueAt, zone: zone, now: now))", record.state.rawValue]
        if callback.managerID == nil { facts.append(text["unassigned"] ?? "") }
        let calls: [[String: Any]] = story.map { entry in
            let call = entry.call
            var row: [String: Any] = [
                "callID": call.callID, "time": Self.clock(call.startedAt, zone: zone, now: now),
                "role": text["\(entry.role)Role"] ?? entry.role,
                "answeredBy": call.answered ? (call.extensionNumber ?? "") : (call.voicemail ? text["voicemail"] ?? "" : text["nobody"] ?? ""),
                "talk": call.answered ? "\(call.talkSeconds / 60):\(call.talkSeconds % 60 < 10 ? "0" : "")\(call.talkSeconds % 60)" : "",
            ]
            row["callerID"] = entry.callerID
            return row
        }
        var values: [String: Any] = ["id": id, "number": callback.number, "facts": facts.joined(separator: " · "), "calls": calls]
        values["clientName"] = callback.clientName
        values["abc"] = callback.abc
        return pages.page("callback", title: "callbackTitle", values: values)
    }

    /// `/calls/CALL_ID`: the call's rows as the PBX recorded them, every field as text.
    private func callLegs(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        let callID = context.parameters.get("call") ?? ""
        guard let (owners, call, legs) = try await store.read({ store -> ((manager: String?, callbackOwner: String?, hasCallback: Bool), Call, [CallLeg])? in
            guard let owners = try store.callOwners(callID), let call = try store.recordedCall(callID) else { return nil }
            return (owners, call, try store.legs(of: call))
        }) else { return notFound() }
        // A manager sees their own calls and those of callbacks they may see.
        let visible = person.isHead || owners.manager == person.managerID
            || (owners.hasCallback && (owners.callbackOwner == nil || owners.callbackOwner == person.managerID))
        guard visible else { return notFound() }
        let zone = configuration.officeZone
        let now = clock()
        let rows: [[String: Any]] = legs.map { leg in
            ["start": Self.clock(leg.start, zone: zone, now: now), "answer": leg.answer.map { Self.clock($0, zone: zone, now: now) } ?? "",
             "end": Self.clock(leg.end, zone: zone, now: now), "src": leg.source, "dst": leg.destination,
             "dcontext": leg.destinationContext, "clid": leg.callerID, "channel": leg.channel,
             "dstchannel": leg.destinationChannel, "lastapp": leg.lastApplication, "lastdata": leg.lastData,
             "billsec": leg.billableSeconds, "disposition": leg.disposition.rawValue, "userfield": leg.userField ?? ""]
        }
        let facts = [call.direction.rawValue, call.number ?? call.rawNumber, call.answered ? "answered" : "not answered"]
        return pages.page("call", title: "callTitle", values: ["callID": callID, "facts": facts.joined(separator: " · "), "legs": rows])
    }

    /// `/alerts`: a manager's own alerts (the head's: all) not yet resolved, newest first,
    /// with *Acknowledge* on the open ones.
    private func alerts(_ request: Request, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let (_, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        let now = clock()
        let managerID = person.isHead ? nil : person.managerID
        let found = try await store.read { store in
            try Desk.alerts(in: store, at: now, kind: nil, state: nil, managerID: managerID).filter { $0.state != .resolved }
        }
        let text = PageText.strings(pages.language)
        let zone = configuration.officeZone
        let rows: [[String: Any]] = found.suffix(200).reversed().map { alert in
            var facts = ["\(text["raised"] ?? "") \(Self.clock(alert.raisedAt, zone: zone, now: now))"]
            if let at = alert.acknowledgedAt { facts.append("\(text["acknowledged"] ?? "") \(Self.clock(at, zone: zone, now: now))") }
            var row: [String: Any] = ["id": alert.alertID, "kind": text[alert.kind.rawValue] ?? alert.kind.rawValue,
                                      "facts": facts.joined(separator: " · "), "open": alert.state == .open]
            row["number"] = alert.number
            row["callbackID"] = alert.callbackID
            return row
        }
        var values: [String: Any] = ["alerts": rows, "csrfToken": person.csrfToken]
        values["notice"] = notice
        return pages.page("alerts", title: "alertsTitle", values: values, status: status)
    }

    /// *Acknowledge*: the person's own alert (the head: any), with the session's CSRF token.
    private func acknowledge(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let form = try await FormBody(request)
        guard let (caller, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard Secrets.equalInConstantTime(form["csrf_token"] ?? "", person.csrfToken) else {
            return pages.page("signedout", title: "signedOutTitle", status: .forbidden)
        }
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { return notFound() }
        let now = clock()
        do {
            _ = try await store.write { store -> OutputRecord in
                guard let alert = try store.alerts(at: now, kind: nil, state: nil, managerID: nil, id: id).first,
                      person.isHead || alert.managerID == person.managerID
                else { throw StoreRequestError.notFound("no alert \(id)") }
                return try Desk.acknowledge(in: store, alertID: id, by: caller.recordedAs, now: now)
            }
        } catch StoreRequestError.notFound {
            return notFound()
        }
        return Response(status: .seeOther, headers: [.location: "/alerts"])
    }

    /// `/status` (the head's): what `ringback status` and `ringback quarantine` show.
    private func status(_ request: Request) async throws -> Response {
        guard let (_, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard person.isHead else { return notFound() }
        let now = clock()
        let (sources, quarantined) = try await store.read { store in (try store.sourceStatuses(), try store.quarantined()) }
        let zone = configuration.officeZone
        let rows: [[String: Any]] = sources.map { source in
            let state = source.state(at: now)
            return ["name": source.name, "kind": source.kind.rawValue, "state": state.rawValue, "unhealthy": !state.isHealthy,
                    "lastRow": source.lastRowAt.map { Self.clock($0, zone: zone, now: now) } ?? "",
                    "lag": source.lastRowAt.map { String(max(0, now - $0)) } ?? "", "rows": source.rows,
                    "rejected": source.rejected, "error": source.lastError ?? ""]
        }
        // The newest 200 of the quarantine: every field a PBX (or anyone) wrote, as text.
        let held: [[String: Any]] = quarantined.suffix(200).reversed().map { record in
            ["id": record.id, "source": record.source, "file": record.file, "line": record.line, "reason": record.reason,
             "raw": String(decoding: record.raw.prefix(500), as: UTF8.self)]
        }
        return pages.page("status", title: "statusTitle",
                          values: ["sources": rows, "quarantine": held, "quarantineCount": quarantined.count])
    }

    /// `/wallboard/TOKEN` (SPEC §8.3): today's figures, the overdue count and the managers'
    /// table for an office screen, read-only, refreshing itself every 30 s; revoked by
    /// `ringback web-revoke NAME`.
    private func wallboard(_ context: WebRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let name = try await secrets.wallboard(sha256: Secrets.sha256(token)) else { return notFound() }
        let now = clock()
        let zone = configuration.officeZone
        let dormantDays = configuration.dormantDays
        let (report, overdue) = try await store.read { store in
            (try Desk.report(in: store, period: .day(containing: now, zone: zone), at: now, zone: zone, dormantDays: dormantDays),
             try Desk.pending(in: store, at: now, owners: .everyone, overdueOnly: true).count)
        }
        let text = PageText.strings(pages.language)
        var values = BoardView.values(report, text: text, zone: zone, now: now)
        values["boardName"] = name
        values["time"] = Self.clock(now, zone: zone, now: now)
        values["overdueNow"] = overdue
        values["refresh"] = 30
        return pages.page("wallboard", title: "wallboardTitle", values: values)
    }

    /// `/report?day=DATE` or `?week=DATE` (the head's): the report of the period with its
    /// charts, and the within-SLA % and missed calls of the 30 days up to it.
    private func report(_ request: Request) async throws -> Response {
        guard let (_, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard person.isHead else { return notFound() }
        let now = clock()
        let zone = configuration.officeZone
        let query = request.uri.queryParameters
        let day = query["day"].flatMap { TimeParsing.instant(String($0), zone: zone) }
        let week = query["week"].flatMap { TimeParsing.instant(String($0), zone: zone) }
        let period = week.map { ReportPeriod.week(containing: $0, zone: zone) } ?? .day(containing: day ?? now, zone: zone)
        let dormantDays = configuration.dormantDays
        let (chosen, trend) = try await store.read { store -> (MissedCallReport, [BoardView.TrendDay]) in
            let chosen = try Desk.report(in: store, period: period, at: now, zone: zone, dormantDays: dormantDays)
            var trend: [BoardView.TrendDay] = []
            var dayStart = ReportPeriod.day(containing: period.end - 1, zone: zone).start
            for _ in 0..<30 {
                let one = try Desk.report(in: store, period: .day(containing: dayStart, zone: zone), at: now, zone: zone,
                                          dormantDays: dormantDays)
                trend.insert(.init(day: one.period.label, missed: one.missedCalls, withinSLAPercent: one.withinSLAPercent), at: 0)
                dayStart = ReportPeriod.day(containing: dayStart - 1, zone: zone).start
            }
            return (chosen, trend)
        }
        let text = PageText.strings(pages.language)
        var values = BoardView.values(chosen, text: text, zone: zone, now: now)
        let drawn = BoardView.trend(trend)
        values["trend"] = drawn.bars
        values["slaPoints"] = drawn.slaPoints
        values["periodLabel"] = chosen.period.label
        let start = zone.civil(of: period.start)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        values["dayValue"] = "\(start.year)-\(two(start.month))-\(two(start.day))"
        return pages.page("report", title: "reportTitle", values: values)
    }

    /// `/search?number=…` (SPEC §8.3): any spelling, normalized as the PBX's numbers are (§2);
    /// the number's callbacks and its calls of the last 30 days that this person may see.
    private func search(_ request: Request) async throws -> Response {
        guard let (_, person) = try await person(request) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        let text = PageText.strings(pages.language)
        let asked = request.uri.queryParameters["number"].map(String.init) ?? ""
        guard let number = configuration.numbers.normalize(asked) else {
            var values: [String: Any] = ["asked": asked]
            if !asked.isEmpty { values["notice"] = PageText.format(text["notANumber"] ?? "", asked) }
            return pages.page("search", title: "searchTitle", values: values)
        }
        let now = clock()
        let found = try await store.read { try $0.search(number: number, since: now - 30 * 86_400) }
        let zone = configuration.officeZone
        let mine = { (owner: String?) in person.isHead || owner == nil || owner == person.managerID }
        let callbacks: [[String: Any]] = found.callbacks.filter { mine($0.managerID) }.map { callback in
            var row: [String: Any] = ["id": callback.callbackID, "state": callback.state.rawValue,
                                      "first": Self.clock(callback.firstMissedAt, zone: zone, now: now)]
            row["managerID"] = callback.managerID
            return row
        }
        let calls: [[String: Any]] = found.calls
            .filter { person.isHead || $0.managerID == person.managerID || ($0.hasCallback && mine($0.callbackOwner)) }
            .map { found in
                let call = found.call
                let outcome = call.answered ? "\(text["answered"] ?? "") \(call.extensionNumber ?? "")"
                    : (call.voicemail ? text["voicemail"] ?? "" : text["missedRole"] ?? "")
                return ["callID": call.callID, "time": Self.clock(call.startedAt, zone: zone, now: now),
                        "direction": call.direction.rawValue, "outcome": outcome]
            }
        return pages.page("search", title: "searchTitle",
                          values: ["asked": asked, "number": number, "callbacks": callbacks, "calls": calls])
    }
}
