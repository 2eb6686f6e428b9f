import Foundation
import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackReport
import RingbackStore

/// What a callback and a call were, and a number's search (SPEC §8.3).
extension DeskRoutes {
    /// `/callbacks/ID`: the callback and every call of its story.
    func callbackStory(_ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = person(context) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard let id = context.parameters.get("id").flatMap(Int64.init) else { return notFound() }
        let now = clock()
        guard let (record, story, alerts, contacts, requests) = try await store.read({ store
            -> (CallbackRecord, [StoryCall], [AlertRecord], [Contact], [CallRequest])? in
            guard let record = try store.callback(id, at: now) else { return nil }
            return (record, try store.story(ofCallback: id), try store.alerts(ofCallback: id, at: now),
                    try store.contacts(ofClient: record.callback.clientID, number: record.callback.number, limit: 20),
                    try store.callRequests(ofCallback: id))
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
        let alertRows: [[String: Any]] = alerts.map { alert in
            ["id": alert.alertID, "kind": text[alert.kind.rawValue] ?? alert.kind.rawValue,
             "time": Self.clock(alert.raisedAt, zone: zone, now: now), "state": alert.state.rawValue]
        }
        // Keys left out rather than empty: Mustache's sections show for any string.
        let contactRows: [[String: Any]] = contacts.map { contact in
            var row: [String: Any] = ["time": Self.clock(contact.createdAt, zone: zone, now: now), "kind": contact.kind,
                                      "note": contact.note]
            row["managerID"] = contact.managerID
            return row
        }
        let requestRows: [[String: Any]] = requests.map { request in
            var row: [String: Any] = ["time": Self.clock(request.requestedAt, zone: zone, now: now),
                                      "extension": request.extensionNumber, "by": request.requestedBy,
                                      "state": text["call_\(request.state.rawValue)"] ?? request.state.rawValue]
            row["reason"] = request.reason
            return row
        }
        var values: [String: Any] = ["id": id, "number": callback.number, "facts": facts.joined(separator: " · "), "calls": calls,
                                     "alerts": alertRows, "contacts": contactRows, "requests": requestRows,
                                     "hasRequests": !requestRows.isEmpty]
        values["clientName"] = callback.clientName
        values["abc"] = callback.abc
        return pages.page("callback", title: "callbackTitle", values: values)
    }

    /// `/calls/CALL_ID`: the call's rows as the PBX recorded them, every field as text.
    func callLegs(_ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = person(context) else {
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

    /// `/search?number=…` (SPEC §8.3): any spelling, normalized as the PBX's numbers are (§2);
    /// the number's callbacks and its calls of the last 30 days that this person may see.
    func search(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = person(context) else {
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
