import CLibPQ
import Foundation
import RingbackCore

/// How many commits that changed the store were announced so far; read without a lock's
/// wait by every live page, many times a second.
public final class StoreChanges: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    public init() {}

    public var generation: Int { lock.withLock { count } }

    func bump() { lock.withLock { count += 1 } }
}

/// PostgreSQL's way to hear of other programs' commits (SPEC §10): every write transaction
/// that changed a row sends `NOTIFY ringback_changes` with its commit, and this listens on a
/// connection of its own, so the desk's live pages wake when something changed instead of
/// asking the store four times a second. An SQLite store has none (`init` returns nil): its
/// pages ask the file, which is cheap.
public struct StoreChangeListener: Sendable {
    public let changes = StoreChanges()
    private let url: String
    private let passwordFile: String?

    public init?(_ location: StoreLocation) {
        guard case .server(let url, let passwordFile) = location else { return nil }
        self.url = url
        self.passwordFile = passwordFile
    }

    /// Listens until cancelled, opening its connection again whenever it is lost (and then
    /// counting a change, since announcements may have been missed meanwhile).
    public func listen() async {
        while !Task.isCancelled {
            do {
                let location = StoreLocation.server(url: url, passwordFile: passwordFile)
                let connection = try PostgresConnection(url: url, password: try location.password(file: passwordFile))
                try connection.execute("LISTEN \(PostgresConnection.changesChannel)")
                changes.bump()
                // The socket is read without blocking, a few times a second at most each
                // page's wait: no thread of the pool is held.
                while !Task.isCancelled, PQconsumeInput(connection.handle) == 1 {
                    var heard = false
                    while let notification = PQnotifies(connection.handle) {
                        PQfreemem(notification)
                        heard = true
                    }
                    if heard { changes.bump() }
                    try await Task.sleep(for: .milliseconds(50))
                }
            } catch is CancellationError {
                return
            } catch {
                // The server is away: the pages go on with what they have until it is back.
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
