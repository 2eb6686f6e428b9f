import RingbackOperations
import RingbackStore

/// What a person's `/` lists (SPEC §8.3): for a manager their own callbacks, then the
/// unassigned queue to take from; for the head the unassigned queue to assign from. Each is
/// the first so many in the order of `ringback pending` (overdue first), with how many
/// there are: a queue of thousands is no list a person reads, and no page that renders fast.
struct DeskList: Sendable {
    struct Section: Sendable {
        var callbacks: [PendingCallback]
        var total: Int
    }

    /// A manager's own; nil for the head.
    var own: Section?
    var queue: Section
    /// For the head: the open callbacks of managers away now, to reassign (SPEC §9.2).
    var away: Section?

    static let ownShown = 200
    static let queueShown = 100

    static func load(in store: any StoreReading, for person: Person, at now: Int64) throws -> DeskList {
        func section(_ owners: CallbackOwners, shown: Int) throws -> Section {
            let callbacks = try Desk.pending(in: store, at: now, owners: owners, overdueOnly: false, limit: shown)
            let total = callbacks.count < shown ? callbacks.count
                : try store.pendingCount(at: now, owners: owners, overdueOnly: false, office: nil)
            return Section(callbacks: callbacks, total: total)
        }
        return try store.reading {
            var away: Section?
            if person.isHead {
                let absent = try store.loadDirectory().managers.filter { $0.isAway(at: now) }
                let sections = try absent.map { try section(.manager($0.id), shown: queueShown) }
                away = Section(callbacks: Array(sections.flatMap(\.callbacks).prefix(queueShown)),
                               total: sections.reduce(0) { $0 + $1.total })
            }
            return DeskList(own: person.isHead ? nil : try section(.manager(person.managerID), shown: ownShown),
                            queue: try section(.unassigned, shown: queueShown), away: away)
        }
    }

    /// The lists as one string for the live stream (`data-live-callbacks`): each shown
    /// callback with its owner, whether it is overdue and its counts, and each list's total.
    var state: String {
        [own, queue, away].compactMap { $0 }.map { section in
            section.callbacks.map { "\($0.callbackID):\($0.managerID ?? "-"):\($0.overdue ? 1 : 0):\($0.missedCount):\($0.attempts)" }
                .joined(separator: ",") + "/\(section.total)"
        }.joined(separator: "|")
    }
}
