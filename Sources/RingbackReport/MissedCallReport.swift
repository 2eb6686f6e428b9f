import RingbackCore
import RingbackStore

/// The head of sales' missed-call report (SPEC §6): what happened to the calls missed in a
/// day or a week, as of the report's time.
public struct MissedCallReport: Sendable {
    public struct ManagerRow: Sendable, Equatable {
        /// nil: the head's queue of unassigned callbacks.
        public var managerID: String?
        public var name: String
        /// Missed calls whose callback this manager owns.
        public var missed = 0
        /// Callbacks resolved by a call (ours or the client's), in time or late.
        public var calledBack = 0
        /// Of those, resolved after their due time.
        public var late = 0
        public var stillOpen = 0
        /// `no_contact` alerts raised in the period for this manager.
        public var noContact = 0
    }

    public struct DormantClient: Sendable, Equatable {
        public var clientID: String
        public var name: String
        public var managerID: String?
        public var lastAnsweredCallAt: Int64?
        public var lastContactAt: Int64?
        /// Whole days since the later of the two, nil when neither ever happened.
        public var daysSilent: Int?
    }

    public var period: ReportPeriod
    /// The office reported on (SPEC §10); nil: all of them.
    public var office: String?
    public var generatedAt: Int64
    public var missedCalls: Int
    public var callbacksOpened: Int
    /// Callbacks opened in the period and resolved by a call by their due time.
    public var withinSLA: Int
    public var withinSLAPercent: Double?
    /// Resolution by a call − first missed call, whole wall minutes, nearest rank.
    public var medianMinutesToCallback: Int?
    public var p90MinutesToCallback: Int?
    public var managers: [ManagerRow]
    /// Callbacks opened in the period that passed their due time: still open, or resolved late.
    public var overdue: [ReportCallback]
    public var noContact: [AlertRecord]
    /// Missed calls by the hour of day (office time) they started in; 24 entries.
    public var missedByHour: [Int]
    public var dormantAClients: [DormantClient]
    public var dormantDays: Int

    /// Builds the report from what the store holds for the period, as of `at`.
    public init(period: ReportPeriod, at: Int64, zone: ZoneConverter, missed: [MissedCall], callbacks: [ReportCallback],
                noContactAlerts: [AlertRecord], managers: [Manager], aClients: [ClientActivity], dormantDays: Int) {
        self.period = period
        generatedAt = at
        self.dormantDays = dormantDays
        missedCalls = missed.count
        callbacksOpened = callbacks.count
        let resolvedByCall = callbacks.filter { $0.state == .calledBack || $0.state == .clientReachedUs }
        (withinSLA, withinSLAPercent) = Self.withinSLA(callbacks)
        let minutes = resolvedByCall.map { Int(($0.resolvedAt! - $0.firstMissedAt) / 60) }.sorted()
        medianMinutesToCallback = Self.nearestRank(minutes, percent: 50)
        p90MinutesToCallback = Self.nearestRank(minutes, percent: 90)

        var rows: [String?: ManagerRow] = [:]
        for manager in managers where manager.role == .manager {
            rows[manager.id] = ManagerRow(managerID: manager.id, name: manager.name)
        }
        let names = Dictionary(managers.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func update(_ id: String?, _ change: (inout ManagerRow) -> Void) {
            var row = rows[id] ?? ManagerRow(managerID: id, name: id.map { names[$0] ?? $0 } ?? "unassigned")
            change(&row)
            rows[id] = row
        }
        for call in missed { update(call.managerID) { $0.missed += 1 } }
        for callback in callbacks {
            switch callback.state {
            case .open: update(callback.managerID) { $0.stillOpen += 1 }
            case .calledBack, .clientReachedUs:
                let late = callback.resolvedAt! > callback.dueAt
                update(callback.managerID) {
                    $0.calledBack += 1
                    if late { $0.late += 1 }
                }
            case .closed: break
            }
        }
        noContact = noContactAlerts.filter { $0.raisedAt >= period.start && $0.raisedAt < period.end }
        for alert in noContact { update(alert.managerID) { $0.noContact += 1 } }
        // Managers by name, the unassigned queue last.
        self.managers = rows.values.sorted { ($0.managerID == nil ? 1 : 0, $0.name) < ($1.managerID == nil ? 1 : 0, $1.name) }

        overdue = callbacks.filter { callback in
            callback.resolvedAt.map { $0 > callback.dueAt } ?? (callback.dueAt <= at)
        }.filter { $0.state != .closed }
        var hours = [Int](repeating: 0, count: 24)
        for call in missed { hours[zone.civil(of: call.startedAt).hour] += 1 }
        missedByHour = hours

        let threshold = at - Int64(dormantDays) * 86_400
        dormantAClients = aClients.compactMap { client in
            let last = [client.lastAnsweredCallAt, client.lastContactAt].compactMap { $0 }.max()
            if let last, last >= threshold { return nil }
            return DormantClient(clientID: client.clientID, name: client.name, managerID: client.managerID,
                                 lastAnsweredCallAt: client.lastAnsweredCallAt, lastContactAt: client.lastContactAt,
                                 daysSilent: last.map { Int((at - $0) / 86_400) })
        }.sorted { ($0.daysSilent ?? .max, $1.clientID) > ($1.daysSilent ?? .max, $0.clientID) }
    }

    /// Callbacks called back (or reached by the client) by their due time, and their share
    /// of all opened: nil when none was opened.
    /// How a title names what is reported: "kzn, 2026-03-10", or the period alone for all offices.
    public var title: String { (office.map { "\($0), " } ?? "") + period.label }

    public static func withinSLA(_ callbacks: [ReportCallback]) -> (count: Int, percent: Double?) {
        let count = callbacks.filter { ($0.state == .calledBack || $0.state == .clientReachedUs) && $0.resolvedAt! <= $0.dueAt }.count
        return (count, callbacks.isEmpty ? nil : Double(count) * 100 / Double(callbacks.count))
    }

    /// The nearest-rank percentile: the value at rank ⌈p/100 · n⌉ of the sorted values.
    static func nearestRank(_ sorted: [Int], percent: Int) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = (percent * sorted.count + 99) / 100
        return sorted[max(rank, 1) - 1]
    }
}
