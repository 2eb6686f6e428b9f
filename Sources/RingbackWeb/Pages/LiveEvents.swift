import Hummingbird
import RingbackOperations
import RingbackStore
import ServiceLifecycle

/// `/events` (SPEC §8.3): Server-Sent Events for an open desk. Each stream looks at the
/// store a few times a second, and only when someone committed does it read what its
/// person sees; when that changed (a new missed call, a callback resolved, taken or gone
/// overdue) it says so, with nothing but what the person may see. The page then fetches
/// itself again. A stream ends after a few minutes (the browser reconnects at once), when
/// the session ends, and when the server stops.
struct LiveEvents: Sendable {
    let secrets: SecretsAccess
    let store: StoreAccess
    let clock: @Sendable () -> Int64
    let interval: Duration = .milliseconds(250)
    let longest: Duration = .seconds(300)

    /// What a desk shows, as one string: its callbacks in order, each with its owner and
    /// whether it is overdue. The page carries the same string in `data-state`.
    static func state(of callbacks: [PendingCallback]) -> String {
        callbacks.map { "\($0.callbackID):\($0.managerID ?? "-"):\($0.overdue ? 1 : 0)" }.joined(separator: ",")
    }

    func stream(_ request: Request) async throws -> Response {
        guard let id = request.cookies[SessionCookie.name]?.value,
              let caller = try await SessionCookie.caller(sessionID: id, secrets: secrets, store: store, now: clock()),
              let person = caller.person
        else { throw APIError(.unauthorized, "sign in first") }
        let owners: CallbackOwners = person.isHead ? .everyone : .managerAndUnassigned(person.managerID)
        let (secrets, store, clock, interval, longest) = (self.secrets, self.store, self.clock, self.interval, self.longest)
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
            let end = ContinuousClock.now + longest
            var (seen, sent, quiet) = ("", "", 0)
            while ContinuousClock.now < end, !Task.isCancelled, !Task.isShuttingDownGracefully {
                let now = clock()
                let looked = seen
                let found: (key: String, state: String?) = try await store.read { store in
                    let key = try store.snapshotKey()
                    // Overdue flags change with time alone: read again at least every 10 s.
                    guard key != looked || quiet >= 40 else { return (key, nil) }
                    return (key, LiveEvents.state(of: try Desk.pending(in: store, at: now, owners: owners, overdueOnly: false)))
                }
                seen = found.key
                quiet += 1
                if let state = found.state {
                    quiet = 0
                    // A session revoked or a person switched off meanwhile hears no more.
                    guard try await SessionCookie.caller(sessionID: id, secrets: secrets, store: store, now: now) != nil else { break }
                    if state != sent {
                        try await writer.write(ByteBuffer(string: "event: desk\ndata: \(state)\n\n"))
                        sent = state
                    } else {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                    }
                }
                try await Task.sleep(for: interval)
            }
            try await writer.finish(nil)
        }
        var headers = PageRenderer.securityHeaders
        headers[.contentType] = "text/event-stream; charset=utf-8"
        return Response(status: .ok, headers: headers, body: body)
    }
}
