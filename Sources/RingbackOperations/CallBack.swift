import RingbackCore
import RingbackStore

/// Who asks for a *Call back* (SPEC §9.1), and so whose phone rings.
public enum CallAsker: Sendable, Equatable {
    /// A signed-in person of the desk.
    case person(managerID: String, login: String)
    /// An API key, which must name the extension.
    case key(name: String)
    /// The CLI's user, a manager by login or (root, the service user) anyone naming an extension.
    case login(String)

    var recordedAs: String {
        switch self {
        case .person(_, let login), .login(let login): login
        case .key(let name): "key:\(name)"
        }
    }
}

extension Desk {
    /// One call request a person in this many seconds.
    public static let callInterval: Int64 = 10

    /// `ringback call`, `POST /api/v1/callbacks/ID/call`, the desk's *Call back*: checked
    /// here — the callback open, the asker's to call (a manager's own or unassigned, the
    /// head any), the extension the acting manager's own, a number abroad only as
    /// `[originate] international` allows, nothing in the action that could break an AMI
    /// line — then filed for the daemon to send.
    public static func requestCall(in store: any StoreWriting, callbackID: Int64, extensionNumber: String?, asker: CallAsker,
                                   template: OriginateTemplate, plan: NumberPlan, now: Int64) throws -> CallRequest {
        guard let callback = try store.callback(callbackID, at: now) else {
            throw StoreRequestError.notFound("no callback \(callbackID)")
        }
        guard callback.state == .open else {
            throw StoreRequestError.notOpen("callback \(callbackID) is \(callback.state.rawValue) already")
        }
        let directory = try store.loadDirectory()
        let manager = try actingManager(asker, extensionNumber: extensionNumber, owner: callback.callback.managerID,
                                        directory: directory)
        guard manager.role == .head || callback.callback.managerID == nil || callback.callback.managerID == manager.id else {
            throw StoreRequestError.forbidden("callback \(callbackID) is another manager's")
        }
        let chosen: String
        if let extensionNumber {
            guard manager.extensions.contains(extensionNumber) else {
                throw StoreRequestError.forbidden("\(extensionNumber) is not one of \(manager.login)'s extensions")
            }
            chosen = extensionNumber
        } else {
            guard let first = manager.extensions.first else {
                throw StoreRequestError.invalid(field: "extension", "\(manager.login) has no extension in the directory")
            }
            chosen = first
        }
        // `kzn:101` rings 101 on Kazan's PBX, sent by Kazan's daemon (SPEC §10).
        let phone = OfficeExtension(written: chosen)
        let number = callback.callback.number
        if plan.isAbroad(number) {
            let clients = callback.callback.clientID != nil || directory.clients.contains { $0.phones.contains(number) }
            switch template.international {
            case .always: break
            case .directory where clients: break
            case .directory:
                throw StoreRequestError.forbidden("\(number) is abroad and no client's: not dialled ([originate] international = directory)")
            case .never:
                throw StoreRequestError.forbidden("\(number) is abroad: not dialled ([originate] international = never)")
            }
        }
        let action: OriginateAction
        switch OriginateAction.make(template, plan: plan, extensionNumber: phone.number, number: number,
                                    clientName: callback.callback.clientName) {
        case .success(let made): action = made
        case .failure(let refusal): throw StoreRequestError.invalid(field: "callback", refusal.description)
        }
        return try store.fileCallRequest(callbackID: callbackID, requestedBy: asker.recordedAs, managerID: manager.id,
                                         extensionNumber: phone.number, office: phone.office ?? directory.firstOffice,
                                         number: number, action: action, now: now,
                                         interval: callInterval)
    }

    /// The manager whose phone rings: the signed-in person; the CLI's user by login; else
    /// the owner of the extension named; else, for the CLI's administrator (root, the service
    /// user: whoever may write the store), the callback's owner. A key must name the extension.
    private static func actingManager(_ asker: CallAsker, extensionNumber: String?, owner: String?,
                                      directory: Directory) throws -> Manager {
        let active = directory.managers.filter(\.active)
        switch asker {
        case .person(let managerID, _):
            if let manager = active.first(where: { $0.id == managerID }) { return manager }
        case .login(let login):
            if let manager = active.first(where: { $0.login == login }) { return manager }
        case .key:
            break
        }
        if let extensionNumber {
            guard let manager = active.first(where: { $0.extensions.contains(extensionNumber) }) else {
                throw StoreRequestError.invalid(field: "extension", "\(extensionNumber) is no active manager's extension")
            }
            return manager
        }
        guard case .login = asker, let owner else {
            throw StoreRequestError.invalid(field: "extension", "name the extension to ring: \(asker.recordedAs) is no manager of the directory"
                                            + (owner == nil ? " and the callback is unassigned" : ""))
        }
        guard let manager = active.first(where: { $0.id == owner }) else {
            throw StoreRequestError.invalid(field: "extension", "the callback's owner \(owner) is no active manager: name the extension to ring")
        }
        return manager
    }
}

extension Desk {
    /// `GET /api/v1/route?number=` (SPEC §9.2): whom the PBX rings first when `raw` calls —
    /// the open callback's owner, else the client's manager — or nobody: outside working
    /// hours (when a calendar is set), for a manager away, for a number nobody owns.
    /// `office`: the PBX that asks; the owner is rung only on an extension of theirs there.
    public static func route(in store: any StoreReading, number raw: String, plan: NumberPlan, calendar: WorkingCalendar?,
                             office: String, at now: Int64) throws -> RouteOwner? {
        guard let number = plan.normalize(plan.strippingOutsidePrefix(raw)) else { return nil }
        if let calendar, !calendar.isWorking(at: now) { return nil }
        guard let owner = try store.routeOwner(number: number, office: office),
              !(owner.awayUntil.map { now < $0 } ?? false) else { return nil }
        return owner
    }
}

extension Listings {
    /// The route's answer: all three null when nobody is rung first.
    public static func route(_ owner: RouteOwner?) -> OutputRecord {
        [("extension", owner.map { .text($0.extensionNumber) } ?? .null), ("manager_id", owner.map { .text($0.managerID) } ?? .null),
         ("reason", owner.map { .text($0.reason.rawValue) } ?? .null)]
    }

    /// A call request as `ringback call` prints it and `POST …/call` answers.
    public static func callRequest(_ r: CallRequest) -> OutputRecord {
        [("request_id", .integer(r.requestID)), ("callback_id", .integer(r.callbackID)), ("number", .text(r.number)),
         ("manager_id", .text(r.managerID)), ("extension", .text(r.extensionNumber)), ("requested_by", .text(r.requestedBy)),
         ("requested_at", .time(r.requestedAt)), ("state", .text(r.state.rawValue)),
         ("sent_at", r.sentAt.map(OutputValue.time) ?? .null), ("finished_at", r.finishedAt.map(OutputValue.time) ?? .null),
         ("reason", r.reason.map(OutputValue.text) ?? .null)]
    }
}
