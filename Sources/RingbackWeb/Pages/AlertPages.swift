import Foundation
import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackReport
import RingbackStore

/// `/alerts` and *Acknowledge* (SPEC §8.3).
extension DeskRoutes {
    /// `/alerts`: a manager's own alerts (the head's: all) not yet resolved, newest first,
    /// with *Acknowledge* on the open ones.
    func alerts(_ context: WebRequestContext, notice: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let (_, person) = person(context) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        let now = clock()
        let found = try await store.read { store in try LiveEvents.shownAlerts(in: store, at: now, of: person) }
        let text = PageText.strings(pages.language)
        let zone = configuration.officeZone
        let rows: [[String: Any]] = found.map { alert in
            var facts = ["\(text["raised"] ?? "") \(Self.clock(alert.raisedAt, zone: zone, now: now))"]
            if let at = alert.acknowledgedAt { facts.append("\(text["acknowledged"] ?? "") \(Self.clock(at, zone: zone, now: now))") }
            var row: [String: Any] = ["id": alert.alertID, "kind": text[alert.kind.rawValue] ?? alert.kind.rawValue,
                                      "facts": facts.joined(separator: " · "), "open": alert.state == .open]
            row["number"] = alert.number
            row["callbackID"] = alert.callbackID
            return row
        }
        var values: [String: Any] = ["alerts": rows, "csrfToken": person.csrfToken, "live": true,
                                     "events": "/events?follow=alerts", "liveAlerts": LiveEvents.state(of: found)]
        values["notice"] = notice
        return pages.page("alerts", title: "alertsTitle", values: values, status: status)
    }

    /// *Acknowledge*: the person's own alert (the head: any), with the session's CSRF token.
    func acknowledge(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let form = try await FormBody(request)
        guard let (caller, person) = person(context) else {
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
}
