/// A person in the sales department (SPEC §1.4).
public struct Manager: Sendable, Equatable {
    public enum Role: String, Sendable { case manager, head }
    public var id: String
    public var name: String
    public var extensions: [String]
    public var login: String
    public var email: String
    public var role: Role
    /// The manager's own external numbers, normalized (follow-me, call forwarding).
    public var mobiles: [String]
    /// False: signed out of the desk, and no sign-in any more (SPEC §8.2); the directory
    /// keeps the entry, so past callbacks still name them.
    public var active: Bool
    /// Away until this instant, the end of their last day away (SPEC §9.2): no new callbacks
    /// are theirs meanwhile, and the route does not ring them.
    public var awayUntil: Int64?

    public init(id: String, name: String, extensions: [String], login: String, email: String, role: Role,
                mobiles: [String] = [], active: Bool = true, awayUntil: Int64? = nil) {
        self.id = id
        self.active = active
        self.awayUntil = awayUntil
        self.mobiles = mobiles
        self.name = name
        self.extensions = extensions
        self.login = login
        self.email = email
        self.role = role
    }
}

extension Manager {
    public func isAway(at instant: Int64) -> Bool { awayUntil.map { instant < $0 } ?? false }
}

/// ABC analysis group: A clients are the most valuable.
public enum ABCGroup: String, Sendable, CaseIterable { case A, B, C }

public struct Client: Sendable, Equatable {
    public var id: String
    public var name: String
    public var abc: ABCGroup?
    /// Normalized numbers.
    public var phones: [String]
    public var managerID: String?

    public init(id: String, name: String, abc: ABCGroup?, phones: [String], managerID: String?) {
        self.id = id
        self.name = name
        self.abc = abc
        self.phones = phones
        self.managerID = managerID
    }
}

/// One entry of the CRM's contact log: what a manager actually recorded.
public struct Contact: Sendable, Equatable {
    public var id: String
    public var createdAt: Int64
    public var managerID: String?
    public var clientID: String?
    /// Normalized number of the other party, when given.
    public var phone: String?
    public var kind: String
    public var note: String

    public init(id: String, createdAt: Int64, managerID: String?, clientID: String?, phone: String?, kind: String, note: String) {
        self.id = id
        self.createdAt = createdAt
        self.managerID = managerID
        self.clientID = clientID
        self.phone = phone
        self.kind = kind
        self.note = note
    }
}

/// The directory as the rules see it: who owns which extension of which office, whose number
/// is whose.
public struct Directory: Sendable {
    public var managers: [Manager]
    public var clients: [Client]
    /// The office whose extensions the managers file may write bare (SPEC §10): the first
    /// office registered in the store; "" when no daemon names its office.
    public var firstOffice: String
    private var managerByExtension: [OfficeExtension: Manager] = [:]
    private var clientByNumber: [String: Client] = [:]
    private var managerByID: [String: Manager] = [:]
    /// A manager's mobile → the manager's id.
    public private(set) var mobileOwners: [String: String] = [:]

    public init(managers: [Manager] = [], clients: [Client] = [], firstOffice: String = "") {
        self.managers = managers
        self.clients = clients
        self.firstOffice = firstOffice
        for manager in managers {
            for written in manager.extensions {
                let ext = OfficeExtension(written: written)
                let key = OfficeExtension(office: ext.office ?? firstOffice, number: ext.number)
                if managerByExtension[key] == nil { managerByExtension[key] = manager }
            }
            for mobile in manager.mobiles where mobileOwners[mobile] == nil { mobileOwners[mobile] = manager.id }
            if managerByID[manager.id] == nil { managerByID[manager.id] = manager }
        }
        for client in clients {
            for phone in client.phones where clientByNumber[phone] == nil { clientByNumber[phone] = client }
        }
    }

    /// The manager of extension `ext` of `office`.
    public func manager(forExtension ext: String, office: String) -> Manager? {
        managerByExtension[OfficeExtension(office: office, number: ext)]
    }
    public func client(forNumber number: String) -> Client? { clientByNumber[number] }
    public func manager(id: String) -> Manager? { managerByID[id] }
    /// The first head of sales, who owns what belongs to nobody.
    public var head: Manager? { managers.first { $0.role == .head } }
    /// The managers' extensions in `office`, as its PBX writes them.
    public func listedExtensions(in office: String) -> Set<String> {
        Set(managerByExtension.keys.filter { $0.office == office }.map(\.number))
    }
}
