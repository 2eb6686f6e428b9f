/// What a directory import or a `PUT` changed, so that only the open callbacks of those
/// entries get their owner, client and due time again (SPEC §9.2).
public struct DirectoryChange: Sendable, Equatable {
    public private(set) var numbers: Set<String> = []
    public private(set) var clientIDs: Set<String> = []
    public private(set) var extensions: Set<String> = []
    public private(set) var managerIDs: Set<String> = []

    /// Entries added, removed or changed between `old` and `new`, with what they held before
    /// and after (a number a client lost is touched as much as one it gained). Being away is
    /// no change of ownership: an away manager's callbacks stay theirs, and they get their
    /// queued ones back by hand (SPEC §9.2).
    public init(from old: Directory, to new: Directory) {
        let oldManagers = Dictionary(old.managers.map { ($0.id, Self.ownershipPart($0)) }) { first, _ in first }
        let newManagers = Dictionary(new.managers.map { ($0.id, Self.ownershipPart($0)) }) { first, _ in first }
        for id in Set(oldManagers.keys).union(newManagers.keys) where oldManagers[id] != newManagers[id] {
            managerIDs.insert(id)
            extensions.formUnion(oldManagers[id]?.extensions ?? [])
            extensions.formUnion(newManagers[id]?.extensions ?? [])
        }
        let oldClients = Dictionary(old.clients.map { ($0.id, $0) }) { first, _ in first }
        let newClients = Dictionary(new.clients.map { ($0.id, $0) }) { first, _ in first }
        for id in Set(oldClients.keys).union(newClients.keys) where oldClients[id] != newClients[id] {
            clientIDs.insert(id)
            numbers.formUnion(oldClients[id]?.phones ?? [])
            numbers.formUnion(newClients[id]?.phones ?? [])
        }
    }

    public var isEmpty: Bool { numbers.isEmpty && clientIDs.isEmpty && extensions.isEmpty && managerIDs.isEmpty }

    /// Whether the change can alter this callback's owner, client or due time: its number,
    /// its client, the extension that decided its owner, or its owner changed.
    public func touches(_ open: OpenCallbackOwnership) -> Bool {
        numbers.contains(open.number) || open.clientID.map(clientIDs.contains) == true
            || open.extensionNumber.map(extensions.contains) == true || open.managerID.map(managerIDs.contains) == true
    }

    private static func ownershipPart(_ manager: Manager) -> Manager {
        var part = manager
        part.awayUntil = nil
        return part
    }
}

/// An open callback as a directory change sees it.
public struct OpenCallbackOwnership: Sendable, Equatable {
    public var callbackID: Int64
    public var number: String
    public var clientID: String?
    public var managerID: String?
    /// Moved by `assign`, *Take* or the API: the owner stays (SPEC §9.2).
    public var assignedByHand: Bool
    public var firstMissedAt: Int64
    /// The extension whose ringing decided the owner: the first missed call's.
    public var extensionNumber: String?
    /// The office of that call.
    public var office: String
    /// The SLA's due time; a time promised with `later` is kept apart and does not move.
    public var slaDueAt: Int64

    public init(callbackID: Int64, number: String, clientID: String?, managerID: String?, assignedByHand: Bool,
                firstMissedAt: Int64, extensionNumber: String?, slaDueAt: Int64, office: String = "") {
        self.office = office
        self.callbackID = callbackID
        self.number = number
        self.clientID = clientID
        self.managerID = managerID
        self.assignedByHand = assignedByHand
        self.firstMissedAt = firstMissedAt
        self.extensionNumber = extensionNumber
        self.slaDueAt = slaDueAt
    }
}

/// What an open callback becomes after a directory change.
public struct OwnershipUpdate: Sendable, Equatable {
    public var managerID: String?
    public var clientID: String?
    public var slaDueAt: Int64

    public init(managerID: String?, clientID: String?, slaDueAt: Int64) {
        self.managerID = managerID
        self.clientID = clientID
        self.slaDueAt = slaDueAt
    }
}
