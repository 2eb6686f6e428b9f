import RingbackCore

/// What a reader of the store may ask: the CLI's listings, status and report (and the web
/// side's answers later). A reader has a read-only connection of its own and never
/// migrates; `reading` gives one snapshot to everything an answer reads, so a report agrees
/// with itself while the daemon commits.
///
/// The embedded SQLite store implements it (`Store`); a PostgreSQL store (SPEC §10) will
/// implement it beside that one, and nothing that reads knows which it talks to.
public protocol StoreReading: AnyObject {
    /// Runs `body` inside one read transaction.
    func reading<T>(_ body: () throws -> T) throws -> T

    func loadDirectory() throws -> Directory
    /// Increases whenever the directory changes.
    func directoryVersion() throws -> Int
    /// The offices registered, first first (SPEC §10).
    func offices() throws -> [String]

    /// Callbacks open at `at`: overdue first, then by ABC group and due time; the first
    /// `limit` when given.
    func pending(at: Int64, owners: CallbackOwners, overdueOnly: Bool, limit: Int?) throws -> [PendingCallback]
    /// How many callbacks `pending` lists without a limit; `office`: only those opened by that
    /// office's calls (nil: every office's).
    func pendingCount(at: Int64, owners: CallbackOwners, overdueOnly: Bool, office: String?) throws -> Int
    /// Missed inbound calls that started in `[since, until)`, as of `at`.
    func missed(since: Int64, until: Int64, at: Int64, managerID: String?, office: String?) throws -> [MissedCall]
    /// How many calls `missed` lists for everyone.
    func missedCount(since: Int64, until: Int64, at: Int64, office: String?) throws -> Int
    /// Alerts raised by `at`, with their state as of `at`; `id`: only that one.
    func alerts(at: Int64, kind: AlertKind?, state: AlertState?, managerID: String?, id: Int64?) throws -> [AlertRecord]
    /// The alerts of `kind` raised in `[since, until)` by `at`.
    func alertsRaised(kind: AlertKind, since: Int64, until: Int64, at: Int64, office: String?) throws -> [AlertRecord]
    /// The newest `limit` alerts not resolved by `at`, newest first.
    func unresolvedAlerts(at: Int64, managerID: String?, limit: Int) throws -> [AlertRecord]
    /// Whom to ring first when `number` calls (SPEC §9.2).
    func routeOwner(number: String, office: String) throws -> RouteOwner?
    func callRequest(_ id: Int64) throws -> CallRequest?
    /// A callback's call requests, newest first.
    func callRequests(ofCallback id: Int64) throws -> [CallRequest]
    /// One callback in whatever state it is at `at`.
    func callback(_ id: Int64, at: Int64) throws -> CallbackRecord?
    /// Callbacks opened in `[since, until)`, with their state as of `at`: the report's rows.
    func callbacksOpened(since: Int64, until: Int64, at: Int64, office: String?) throws -> [ReportCallback]
    /// Every client of `abc` with its last answered call and last CRM contact by `at`.
    func clientActivity(abc: String, at: Int64) throws -> [ClientActivity]

    func quarantined() throws -> [QuarantinedRecord]
    func sourceStatuses() throws -> [SourceStatus]
    /// The newest CDR's time and the overdue callbacks at `now`: the daemon's status line.
    func daemonSummary(now: Int64) throws -> (lastCDRAt: Int64?, overdue: Int)
    /// Row counts by table, and the open callbacks.
    func counts() throws -> [String: Int]
    /// Alert hook deliveries by state.
    func hookDeliveryCounts() throws -> [String: Int]
    /// Webhook deliveries by state.
    func webhookDeliveryCounts() throws -> [String: Int]
    /// A consistent copy of the whole store in a new file.
    func backup(to path: String) throws
    /// When the daemon's sweep last ran (SPEC §8.5), nil if it never did.
    func daemonHeartbeat() throws -> Int64?
    /// A callback's calls, in order (the pages' story of a callback).
    func story(ofCallback id: Int64) throws -> [StoryCall]
    /// A callback's alerts as of `at`, in the order raised.
    func alerts(ofCallback id: Int64, at: Int64) throws -> [AlertRecord]
    /// A client's newest CRM contacts (by the client, or by `number`).
    func contacts(ofClient clientID: String?, number: String, limit: Int) throws -> [Contact]
    /// A recorded call, and its rows as the PBX wrote them.
    func recordedCall(_ callID: String) throws -> Call?
    func legs(of call: Call) throws -> [CallLeg]
    /// A number's callbacks and its recent calls (the desk's search).
    func search(number: String, since: Int64) throws -> NumberSearch
    /// Who may see a call on a page; nil: no such call.
    func callOwners(_ callID: String) throws -> (manager: String?, callbackOwner: String?, hasCallback: Bool)?
    /// Equal for two reads only when they see the same data (an answer cache's key).
    func snapshotKey() throws -> String
    /// What `/metrics` shows, from one snapshot.
    func metricCounts(at now: Int64) throws -> MetricCounts
}

/// Whose callbacks a listing holds.
public enum CallbackOwners: Sendable, Equatable {
    case everyone
    case manager(String)
    /// The queue nobody owns yet.
    case unassigned
    /// What a manager's own page shows.
    case managerAndUnassigned(String)
}

extension StoreReading {
    /// Everyone's open callbacks, or one manager's.
    public func pending(at: Int64, managerID: String?, overdueOnly: Bool) throws -> [PendingCallback] {
        try pending(at: at, owners: managerID.map(CallbackOwners.manager) ?? .everyone, overdueOnly: overdueOnly, limit: nil)
    }

    /// Every alert that matches, as `ringback alerts` lists them.
    public func alerts(at: Int64, kind: AlertKind?, state: AlertState?, managerID: String?) throws -> [AlertRecord] {
        try alerts(at: at, kind: kind, state: state, managerID: managerID, id: nil)
    }
}
