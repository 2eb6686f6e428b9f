import RingbackCore

/// A silent PBX (SPEC §8.5): when the last CDR came, and the one alert per silence.
extension Store {
    /// A CDR from one of the daemon's sources arrived at `now`: the PBX speaks, and a
    /// silence alert still open is resolved (`cdr_arrived`).
    public func noteCDRArrival(now: Int64, resolvingSilence open: Bool) throws {
        try setMeta(officeKey("last_cdr_arrival"), String(now))
        guard open else { return }
        try connection.prepare("""
            UPDATE alerts SET resolved_at = ?, resolution = 'cdr_arrived'
            WHERE kind = 'pbx_silent' AND resolved_at IS NULL AND office = ?
            """).run([.integer(now), .text(office)])
    }

    public func lastCDRArrival() throws -> Int64? { try meta(officeKey("last_cdr_arrival")).flatMap { Int64($0) } }

    /// Whether a `pbx_silent` alert of this office's PBX is open.
    public func hasOpenSilenceAlert() throws -> Bool {
        try connection.prepare("SELECT 1 FROM alerts WHERE kind = 'pbx_silent' AND resolved_at IS NULL AND office = ? LIMIT 1")
            .first([.text(office)]) { _ in true } ?? false
    }

    /// The silence since `lastArrival` as an alert for the head, raised once.
    @discardableResult
    public func raiseSilenceAlert(at: Int64, since lastArrival: Int64, headID: String?) throws -> Bool {
        try raiseAlert(.pbxSilent, at: at, managerID: headID, clientID: nil, number: nil,
                       callID: officePrefix + PBXSilence.key(since: lastArrival), callbackID: nil)
    }
}
