import Foundation
import Hummingbird
import RingbackCore
import RingbackOperations
import RingbackReport
import RingbackStore

/// The head's pages beside the board: the sources, the report, the office wallboard (SPEC §8.3).
extension DeskRoutes {
    /// `/status` (the head's): what `ringback status` and `ringback quarantine` show.
    func status(_ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = person(context) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard person.isHead else { return notFound() }
        let now = clock()
        let (sources, quarantined) = try await store.read { store in (try store.sourceStatuses(), try store.quarantined()) }
        let zone = configuration.officeZone
        let rows: [[String: Any]] = sources.map { source in
            let state = source.state(at: now)
            return ["name": source.name, "kind": source.kind.rawValue, "state": state.rawValue, "unhealthy": !state.isHealthy,
                    "lastRow": source.lastRowAt.map { Self.clock($0, zone: zone, now: now) } ?? "",
                    "lag": source.lastRowAt.map { String(max(0, now - $0)) } ?? "", "rows": source.rows,
                    "rejected": source.rejected, "error": source.lastError ?? ""]
        }
        // The newest 200 of the quarantine: every field a PBX (or anyone) wrote, as text.
        let held: [[String: Any]] = quarantined.suffix(200).reversed().map { record in
            ["id": record.id, "source": record.source, "file": record.file, "line": record.line, "reason": record.reason,
             "raw": String(decoding: record.raw.prefix(500), as: UTF8.self)]
        }
        return pages.page("status", title: "statusTitle",
                          values: ["sources": rows, "quarantine": held, "quarantineCount": quarantined.count])
    }

    /// `/report?day=DATE` or `?week=DATE` (the head's): the report of the period with its
    /// charts, and the within-SLA % and missed calls of the 30 days up to it.
    func report(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        guard let (_, person) = person(context) else {
            return pages.page("signedout", title: "signedOutTitle", status: .unauthorized)
        }
        guard person.isHead else { return notFound() }
        let now = clock()
        let zone = configuration.officeZone
        let query = request.uri.queryParameters
        let day = query["day"].flatMap { TimeParsing.instant(String($0), zone: zone) }
        let week = query["week"].flatMap { TimeParsing.instant(String($0), zone: zone) }
        let period = week.map { ReportPeriod.week(containing: $0, zone: zone) } ?? .day(containing: day ?? now, zone: zone)
        let dormantDays = configuration.dormantDays
        let asked = query["office"].map(String.init)
        guard let (chosen, trend) = try await store.read({ store -> (MissedCallReport, [TrendDay])? in
            let office: String?
            do { office = try Desk.office(asked, in: store) } catch is StoreRequestError { return nil }
            return (try Desk.report(in: store, period: period, at: now, zone: zone, dormantDays: dormantDays, office: office),
                    try Desk.trend(in: store, days: 30, endingBefore: period.end, at: now, zone: zone, office: office))
        }) else { return notFound() }
        let text = PageText.strings(pages.language)
        var values = BoardView.values(chosen, text: text, zone: zone, now: now)
        let drawn = BoardView.trend(trend)
        values["trend"] = drawn.bars
        values["slaPoints"] = drawn.slaPoints
        values["periodLabel"] = chosen.title
        if let office = chosen.office { values["office"] = office }
        let start = zone.civil(of: period.start)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        values["dayValue"] = "\(start.year)-\(two(start.month))-\(two(start.day))"
        return pages.page("report", title: "reportTitle", values: values)
    }

    /// `/wallboard/TOKEN` (SPEC §8.3): today's figures, the overdue count and the managers'
    /// table for an office screen, read-only, live (and, without script, reloading itself
    /// every 30 s); of the office it was made for, else of all (SPEC §10); revoked by
    /// `ringback web-revoke NAME`.
    func wallboard(_ context: WebRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let board = try await secrets.wallboard(sha256: Secrets.sha256(token)) else { return notFound() }
        let now = clock()
        let zone = configuration.officeZone
        let configuration = configuration
        let (report, overdue) = try await store.read { store in
            (try LiveEvents.board(in: store, at: now, configuration, office: board.office),
             try store.pendingCount(at: now, owners: .everyone, overdueOnly: true, office: board.office))
        }
        let text = PageText.strings(pages.language)
        var values = BoardView.values(report, text: text, zone: zone, now: now)
        values["boardName"] = board.name
        if let office = board.office { values["office"] = office }
        values["time"] = Self.clock(now, zone: zone, now: now)
        values["overdueNow"] = overdue
        values["refresh"] = 30
        values["live"] = true
        values["events"] = "/wallboard/\(token)/events"
        values["liveBoard"] = LiveEvents.state(of: report)
        return pages.page("wallboard", title: "wallboardTitle", values: values)
    }
}
