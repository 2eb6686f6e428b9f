import Hummingbird
import RingbackConfig
import RingbackCore
import RingbackOperations
import RingbackReport
import RingbackStore
import ServiceLifecycle

/// Server-Sent Events for an open page (SPEC §8.3): `/events?follow=callbacks,alerts,board`
/// for a signed-in person, `/wallboard/TOKEN/events` for the office screen. Each stream
/// looks at the store a few times a second (on PostgreSQL it waits for a commit to be
/// announced instead, `StoreChangeListener`), and only when someone committed does it read
/// what its viewer sees of what the page follows; when that changed (a new missed call, a
/// callback resolved, taken or gone overdue, a new or acknowledged alert, the day's
/// figures) it says so in an event of that part's name, with nothing but what the viewer
/// may see. The page then fetches itself again. A stream ends after a few minutes (the
/// browser reconnects at once), when its viewer is signed out or revoked, and when the
/// server stops.
struct LiveEvents: Sendable {
    let store: StoreAccess
    let configuration: RingbackConfiguration
    let clock: @Sendable () -> Int64
    /// The board's office; nil: all of them.
    var office: String? = nil
    let interval: Duration = .milliseconds(250)
    let longest: Duration = .seconds(300)

    /// What a page follows. Each page carries its state as `data-live-PART`, made by the
    /// same function as the stream's.
    enum Part: String, CaseIterable, Sendable {
        case callbacks, alerts, board
    }

    /// Who watches: a person sees their own (the head: everything); the wallboard the board.
    enum Viewer: Sendable {
        case person(Person)
        case wallboard
    }

    /// The alerts `/alerts` lists, each with its state.
    static func state(of alerts: [AlertRecord]) -> String {
        alerts.map { "\($0.alertID):\($0.state.rawValue)" }.joined(separator: ",")
    }

    /// What the board shows of the day's report: its figures, the managers' rows, the
    /// overdue and no-contact lists and the hours' bars.
    static func state(of report: MissedCallReport) -> String {
        let managers = report.managers.map { "\($0.managerID ?? "-"):\($0.missed):\($0.calledBack):\($0.late):\($0.stillOpen):\($0.noContact)" }
        return ["\(report.missedCalls):\(report.callbacksOpened):\(report.withinSLA):\(report.medianMinutesToCallback ?? -1)",
                managers.joined(separator: ","), report.overdue.map { "\($0.callbackID):\($0.state.rawValue)" }.joined(separator: ","),
                report.noContact.map { "\($0.alertID):\($0.state.rawValue)" }.joined(separator: ","),
                report.missedByHour.map(String.init).joined(separator: ",")].joined(separator: "|")
    }

    /// What `/alerts` lists: a person's alerts not yet resolved (the head's: all), the newest 200.
    static func shownAlerts(in store: any StoreReading, at now: Int64, of person: Person) throws -> [AlertRecord] {
        try store.unresolvedAlerts(at: now, managerID: person.isHead ? nil : person.managerID, limit: 200)
    }

    /// The day's report the board and the wallboard show.
    /// `office` nil: every office's calls (SPEC §10).
    static func board(in store: any StoreReading, at now: Int64, _ configuration: RingbackConfiguration,
                      office: String? = nil) throws -> MissedCallReport {
        let zone = configuration.officeZone
        return try Desk.report(in: store, period: .day(containing: now, zone: zone), at: now, zone: zone,
                               dormantDays: configuration.dormantDays, office: office)
    }

    /// The parts a person's `follow=` names that are theirs to follow (the board is the head's).
    static func parts(_ follow: String?, for person: Person) -> [Part] {
        let asked = (follow ?? "callbacks").split(separator: ",").map(String.init)
        return Part.allCases.filter { asked.contains($0.rawValue) && ($0 != .board || person.isHead) }
    }

    /// The stream; `stillThere` is asked after every change, and a false ends it.
    func stream(_ parts: [Part], for viewer: Viewer, stillThere: @escaping @Sendable () async throws -> Bool) -> Response {
        let (store, configuration, clock, interval, longest) = (self.store, self.configuration, self.clock, self.interval, self.longest)
        let office = self.office
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            let end = ContinuousClock.now + longest
            var seen = ""
            var sent: [Part: String] = [:]
            // Overdue flags change with time alone: read again at least every 10 s.
            let everyWhile: Duration = .seconds(10)
            var lastRead = ContinuousClock.now - everyWhile
            var heard = store.listener?.changes.generation ?? 0
            while ContinuousClock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully {
                if let changes = store.listener?.changes {
                    while changes.generation == heard, ContinuousClock.now - lastRead < everyWhile, ContinuousClock.now < end,
                          !Task.isShuttingDownGracefully {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                    heard = changes.generation
                }
                let now = clock()
                let looked = seen
                let due = ContinuousClock.now - lastRead >= everyWhile
                let found: (key: String, states: [Part: String]?) = try await store.read { store in
                    let key = try store.snapshotKey()
                    guard key != looked || due else { return (key, nil) }
                    var states: [Part: String] = [:]
                    for part in parts {
                        states[part] = switch (part, viewer) {
                        case (.callbacks, .person(let person)): try DeskList.load(in: store, for: person, at: now).state
                        case (.alerts, .person(let person)): Self.state(of: try Self.shownAlerts(in: store, at: now, of: person))
                        case (.board, _): Self.state(of: try Self.board(in: store, at: now, configuration, office: office))
                        case (_, .wallboard): "" // a wallboard follows the board alone
                        }
                    }
                    return (key, states)
                }
                seen = found.key
                if let states = found.states {
                    lastRead = ContinuousClock.now
                    guard try await stillThere() else { break }
                    var said = false
                    for part in parts where states[part] != sent[part] {
                        try await writer.write(ByteBuffer(string: "event: \(part.rawValue)\ndata: \(states[part] ?? "")\n\n"))
                        sent[part] = states[part]
                        said = true
                    }
                    if !said { try await writer.write(ByteBuffer(string: ": still here\n\n")) }
                }
                if store.listener == nil { try await Task.sleep(for: interval) }
            }
            try await writer.finish(nil)
        }
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = "text/event-stream; charset=utf-8"
        return Response(status: .ok, headers: headers, body: body)
    }
}
