import RingbackCore
import RingbackReport
import RingbackStore

/// What people do with the store, one implementation for every door: the CLI's commands
/// and the HTTP API call these, so the queries and the rules of a change exist once; each
/// door shows what a listing found as `Listings` objects (the API only for the page it
/// answers with). A listing reads in one snapshot; a change is one transaction, answered
/// with the changed object as the listings show it.
public enum Desk {
    /// `ringback pending`, `GET /api/v1/callbacks`.
    public static func pending(in store: any StoreReading, at: Int64, owners: CallbackOwners,
                               overdueOnly: Bool, limit: Int? = nil) throws -> [PendingCallback] {
        try store.pending(at: at, owners: owners, overdueOnly: overdueOnly, limit: limit)
    }

    /// `ringback missed`, `GET /api/v1/missed`. Neither bound: the day of `at`; one bound:
    /// open on the other side.
    public static func missed(in store: any StoreReading, since: Int64?, until: Int64?, at: Int64, managerID: String?,
                              zone: ZoneConverter) throws -> [MissedCall] {
        let today = zone.dayBounds(containing: at)
        let bothMissing = since == nil && until == nil
        let from = since ?? (bothMissing ? today.start : .min)
        let to = until ?? (bothMissing ? today.end : .max)
        return try store.missed(since: from, until: to, at: at, managerID: managerID, office: nil)
    }

    /// `ringback alerts`, `GET /api/v1/alerts`.
    public static func alerts(in store: any StoreReading, at: Int64, kind: AlertKind?, state: AlertState?,
                              managerID: String?) throws -> [AlertRecord] {
        try store.alerts(at: at, kind: kind, state: state, managerID: managerID)
    }

    /// The office a report or a board is asked for: nil (or "all") for every office; a name
    /// the store does not know is refused, with the ones it knows.
    public static func office(_ asked: String?, in store: any StoreReading, field: String = "--office") throws -> String? {
        guard let asked, asked != "all" else { return nil }
        let known = try store.offices()
        guard known.contains(asked) else {
            throw StoreRequestError.invalid(field: field, known.isEmpty
                ? "no office is named in this store ([office] name in the daemons' configuration)"
                : "no office \"\(asked)\" in this store; its offices: \(known.joined(separator: ", ")), or all")
        }
        return asked
    }

    /// The head's report of `period` as of `at`, every section from one snapshot: of one
    /// office's calls, or (`office` nil) of all (SPEC §10). Clients are the organisation's:
    /// the dormant ones are listed whichever office reports.
    public static func report(in store: any StoreReading, period: ReportPeriod, at: Int64, zone: ZoneConverter,
                              dormantDays: Int, office: String? = nil) throws -> MissedCallReport {
        try store.reading {
            var report = MissedCallReport(
                period: period, at: at, zone: zone,
                missed: try store.missed(since: period.start, until: period.end, at: at, managerID: nil, office: office),
                callbacks: try store.callbacksOpened(since: period.start, until: period.end, at: at, office: office),
                noContactAlerts: try store.alertsRaised(kind: .noContact, since: period.start, until: period.end, at: at,
                                                        office: office),
                managers: try store.loadDirectory().managers,
                aClients: try store.clientActivity(abc: "A", at: at),
                dormantDays: dormantDays)
            report.office = office
            return report
        }
    }

    /// Missed calls and within-SLA % of each of the `days` days up to the one containing
    /// `end - 1`, oldest first, as the day reports would count them: a count over the
    /// missed calls' index a day, and the callbacks of the whole stretch read once.
    public static func trend(in store: any StoreReading, days: Int, endingBefore end: Int64, at: Int64,
                             zone: ZoneConverter, office: String? = nil) throws -> [TrendDay] {
        try store.reading {
            var periods: [ReportPeriod] = [.day(containing: end - 1, zone: zone)]
            while periods.count < days { periods.insert(.day(containing: periods[0].start - 1, zone: zone), at: 0) }
            let callbacks = try store.callbacksOpened(since: periods[0].start, until: periods[periods.count - 1].end, at: at,
                                                      office: office)
            return try periods.map { period in
                let opened = callbacks.filter { $0.firstMissedAt >= period.start && $0.firstMissedAt < period.end }
                return TrendDay(label: period.label, missed: try store.missedCount(since: period.start, until: period.end, at: at, office: office),
                                withinSLAPercent: MissedCallReport.withinSLA(opened).percent)
            }
        }
    }

    /// `ringback resolve`, `POST /api/v1/callbacks/ID/resolve`: a manual close, credited to
    /// `by` (a login, or `key:NAME` for an API key).
    public static func resolve(in store: any StoreWriting, callbackID: Int64, reason: String, by: String,
                               now: Int64) throws -> OutputRecord {
        try store.closeCallback(callbackID, reason: reason, by: by, now: now, headID: try store.loadDirectory().head?.id)
        return try callback(callbackID, in: store, at: now)
    }

    /// `ringback assign`, `POST /api/v1/callbacks/ID/assign`.
    public static func assign(in store: any StoreWriting, callbackID: Int64, to managerID: String,
                              now: Int64) throws -> OutputRecord {
        try store.assignCallback(callbackID, to: managerID)
        return try callback(callbackID, in: store, at: now)
    }

    /// `ringback later`, `POST /api/v1/callbacks/ID/later`: a call promised for `dueAt`.
    public static func later(in store: any StoreWriting, callbackID: Int64, dueAt: Int64, note: String?,
                             now: Int64) throws -> OutputRecord {
        try store.promiseCallback(callbackID, dueAt: dueAt, note: note, now: now)
        return try callback(callbackID, in: store, at: now)
    }

    /// `ringback ack`, `POST /api/v1/alerts/ID/ack`.
    public static func acknowledge(in store: any StoreWriting, alertID: Int64, by: String, now: Int64) throws -> OutputRecord {
        try store.acknowledge(alertID: alertID, by: by, now: now)
        guard let alert = try store.alerts(at: now, kind: nil, state: nil, managerID: nil, id: alertID).first else {
            throw StoreRequestError.notFound("no alert \(alertID)")
        }
        return Listings.alert(alert)
    }

    /// `ringback import contacts`, `POST /api/v1/contacts`: stored (by `contact_id`, so a
    /// contact sent twice is stored once) in one transaction; returns how many `no_contact`
    /// alerts they answered.
    public static func importContacts(in store: any StoreWriting, _ contacts: [Contact], now: Int64) throws -> Int {
        try store.transaction { try store.upsertContacts(contacts, now: now) }
    }

    private static func callback(_ id: Int64, in store: any StoreReading, at: Int64) throws -> OutputRecord {
        guard let record = try store.callback(id, at: at) else { throw StoreRequestError.notFound("no callback \(id)") }
        return Listings.callback(record)
    }
}

/// One day of the report page's 30-day trend.
public struct TrendDay: Sendable, Equatable {
    public var label: String
    public var missed: Int
    public var withinSLAPercent: Double?
}
