/// The open callback of a number, as the rules need to see it.
public struct OpenCallback: Sendable, Equatable {
    public var id: Int64
    public var firstMissedAt: Int64
    public var dueAt: Int64
    public init(id: Int64, firstMissedAt: Int64, dueAt: Int64) {
        self.id = id
        self.firstMissedAt = firstMissedAt
        self.dueAt = dueAt
    }
}

/// How a callback was resolved (SPEC §4.2).
public enum Resolution: String, Sendable {
    case calledBack = "called_back"
    case clientReachedUs = "client_reached_us"
    case closed
}

/// A callback to open for a missed call.
public struct NewCallback: Sendable, Equatable {
    public var number: String
    public var clientID: String?
    public var ownerID: String?
    public var dueAt: Int64
    public var missedAt: Int64

    public init(number: String, clientID: String?, ownerID: String?, dueAt: Int64, missedAt: Int64) {
        self.number = number
        self.clientID = clientID
        self.ownerID = ownerID
        self.dueAt = dueAt
        self.missedAt = missedAt
    }
}

/// What a call does to the callback of its number.
public enum CallbackAction: Sendable, Equatable {
    case open(NewCallback)
    case countMissed(callbackID: Int64)
    case countAttempt(callbackID: Int64)
    case resolve(callbackID: Int64, resolution: Resolution, creditedTo: String?, late: Bool, dueAt: Int64)
}

/// An answered call that must be followed by a CRM contact by `deadline` (SPEC §4.4).
public struct ContactCheck: Sendable, Equatable {
    public var callID: String
    public var managerID: String?
    public var clientID: String?
    public var number: String
    public var startedAt: Int64
    public var deadline: Int64

    public init(callID: String, managerID: String?, clientID: String?, number: String, startedAt: Int64, deadline: Int64) {
        self.callID = callID
        self.managerID = managerID
        self.clientID = clientID
        self.number = number
        self.startedAt = startedAt
        self.deadline = deadline
    }
}

/// Everything the rules decided about one call.
public struct CallDecision: Sendable, Equatable {
    public var clientID: String?
    /// The manager the call is attributed to: the callback's owner for a missed call, the
    /// answering or calling extension's manager otherwise.
    public var managerID: String?
    public var callbackAction: CallbackAction?
    public var contactCheck: ContactCheck?
    /// The number is on the ignore list: no rule applies, and it is never listed as missed.
    public var ignored = false
}

/// Rule settings (`[contacts]`, `[sla]`, `[calls] min_talk`).
public struct RuleSettings: Sendable {
    public var sla: SLAPolicy
    public var graceMinutes: Int
    public var allExtensions: Bool
    public var ignored: Set<String>

    public init(sla: SLAPolicy = SLAPolicy(), graceMinutes: Int = 120, allExtensions: Bool = false,
                ignored: Set<String> = []) {
        self.sla = sla
        self.graceMinutes = graceMinutes
        self.allExtensions = allExtensions
        self.ignored = ignored
    }
}

/// The rules of SPEC §4.1–4.4 for one call, as a pure function of the call, the directory
/// and the number's open callback. The store applies the decision.
public struct CallbackRules: Sendable {
    public let settings: RuleSettings
    public init(settings: RuleSettings) { self.settings = settings }

    public func decide(_ call: Call, directory: Directory, openCallback: OpenCallback?) -> CallDecision {
        let client = call.number.flatMap { directory.client(forNumber: $0) }
        let extensionManager = call.creditedManagerID.flatMap { directory.manager(id: $0) }
            ?? call.extensionNumber.flatMap { directory.manager(forExtension: $0, office: call.office) }
        var decision = CallDecision(clientID: client?.id, managerID: extensionManager?.id)
        guard let number = call.number, call.direction != .internal else { return decision }
        if settings.ignored.contains(number) {
            decision.ignored = true
            return decision
        }
        switch call.direction {
        case .inbound where !call.answered:
            // The classifier names the extension whose ringing decides: the only one that rang,
            // or the manager's that last rang when reception put the caller through.
            // A manager away gets no new callbacks: they wait in the unassigned queue (SPEC §9.2).
            let owner = (client?.managerID ?? extensionManager?.id).flatMap {
                directory.manager(id: $0)?.isAway(at: call.startedAt) == true ? nil : $0
            }
            decision.managerID = owner
            if let open = openCallback {
                decision.callbackAction = .countMissed(callbackID: open.id)
            } else {
                let due = settings.sla.dueTime(firstMissedAt: call.startedAt, group: client?.abc)
                decision.callbackAction = .open(NewCallback(number: number, clientID: client?.id, ownerID: owner,
                                                            dueAt: due, missedAt: call.startedAt))
            }
        case .inbound:
            // A call can only answer a miss that came before it. Asterisk writes a call when it
            // ends, so a long call that started earlier may be read after a later miss.
            if let open = openCallback, call.startedAt >= open.firstMissedAt {
                decision.callbackAction = .resolve(callbackID: open.id, resolution: .clientReachedUs,
                                                   creditedTo: extensionManager?.id ?? call.extensionNumber,
                                                   late: call.startedAt > open.dueAt, dueAt: open.dueAt)
            }
            if extensionManager != nil || settings.allExtensions {
                decision.contactCheck = ContactCheck(
                    callID: call.callID, managerID: extensionManager?.id, clientID: client?.id, number: number,
                    startedAt: call.startedAt, deadline: call.endedAt + Int64(settings.graceMinutes) * 60)
            }
        case .outbound:
            guard let open = openCallback, call.startedAt >= open.firstMissedAt else { break }
            decision.callbackAction = call.answered
                ? .resolve(callbackID: open.id, resolution: .calledBack,
                           creditedTo: extensionManager?.id ?? call.extensionNumber,
                           late: call.startedAt > open.dueAt, dueAt: open.dueAt)
                : .countAttempt(callbackID: open.id)
        case .internal:
            break
        }
        return decision
    }

    /// An open callback's owner, client and due time after a directory change (SPEC §4.1,
    /// §9.2), or nil when they stay as they are. An owner set by hand stays; one from the
    /// directory follows it, except to a manager away now, who keeps what was theirs and
    /// gets nothing new (it waits in the unassigned queue).
    public func reowned(_ open: OpenCallbackOwnership, directory: Directory, now: Int64) -> OwnershipUpdate? {
        let client = directory.client(forNumber: open.number)
        var owner = open.managerID
        if !open.assignedByHand {
            let fromDirectory = client?.managerID ?? open.extensionNumber.flatMap { directory.manager(forExtension: $0, office: open.office)?.id }
            if fromDirectory != open.managerID {
                owner = fromDirectory.flatMap { directory.manager(id: $0)?.isAway(at: now) == true ? nil : $0 }
            }
        }
        let update = OwnershipUpdate(managerID: owner, clientID: client?.id,
                                     slaDueAt: settings.sla.dueTime(firstMissedAt: open.firstMissedAt, group: client?.abc))
        return update == OwnershipUpdate(managerID: open.managerID, clientID: open.clientID, slaDueAt: open.slaDueAt) ? nil : update
    }
}
