import RingbackCore

/// What a person changes through the CLI (and the web side later), each change one short
/// transaction that waits for the daemon's batch to commit: acknowledgements, closes,
/// assignments, the directory, the quarantine.
public protocol StoreWriting: StoreReading {
    /// Runs `body` in one write transaction: all of it is stored, or none.
    func transaction<T>(_ body: () throws -> T) throws -> T

    func acknowledge(alertID: Int64, by login: String, now: Int64) throws
    /// Closes an open callback by hand (`ringback resolve`), with the reason.
    func closeCallback(_ id: Int64, reason: String, by login: String, now: Int64, headID: String?) throws
    func assignCallback(_ id: Int64, to managerID: String) throws
    /// A call promised for a set time: the callback is due then (`ringback later`).
    func promiseCallback(_ id: Int64, dueAt: Int64, note: String?, now: Int64) throws

    /// A *Call back* (SPEC §9.1) for the daemon to send: refused while one for the same
    /// callback is under way, and when `requestedBy` asked less than `interval` s ago.
    func fileCallRequest(callbackID: Int64, requestedBy: String, managerID: String, extensionNumber: String,
                         office: String, number: String, action: OriginateAction, now: Int64,
                         interval: Int64) throws -> CallRequest

    /// `ringback away`: false when no manager has the login.
    func setAway(login: String, until: Int64?) throws -> Bool
    /// `includingAway`: set their `away_until` too, else leave it as it is.
    func upsertManagers(_ managers: [Manager], includingAway: Bool) throws
    func upsertClients(_ clients: [Client]) throws
    /// Returns how many `no_contact` alerts the new contacts resolved.
    func upsertContacts(_ contacts: [Contact], now: Int64) throws -> Int
    /// After a directory change: each open callback for which `reown` answers an update gets
    /// it (and a `callback.assigned` event when it gets a new owner). Returns how many did.
    @discardableResult
    func reownOpenCallbacks(_ reown: (OpenCallbackOwnership) -> OwnershipUpdate?) throws -> Int

    func removeQuarantined(_ id: Int64) throws
    func updateQuarantineReason(_ id: Int64, reason: String) throws
    func purgeQuarantine() throws -> Int
}
