import Foundation
import RingbackCore
import RingbackStore
import ServiceLifecycle

/// The web side's connections to the store: a few read-only ones, used by requests side by
/// side (each GET inside one read transaction of its own), and one for short writes, one
/// request at a time. The daemon stays the store's main writer; these writes wait for its
/// batch like the CLI's do.
final class StoreAccess: Sendable {
    private let readers: ReaderPool
    private let writer: WriterConnection
    /// Commits heard on a PostgreSQL store (nil on SQLite, whose pages ask the file).
    let listener: StoreChangeListener?

    /// `readers`: as many as the machine has cores; a request holds one only while it reads.
    /// Changes file their events for `webhooks`.
    /// `office`: the web desk's own (`[office] name`): the heartbeat and PBX silence it shows.
    init(_ location: StoreLocation, office: String = "", webhooks: WebhookRouting?, clock: @escaping @Sendable () -> Int64,
         readers count: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)) throws {
        func open(_ access: Store.Access) throws -> Store {
            let store = try Store(location, create: false, access: access)
            store.office = office
            return store
        }
        readers = ReaderPool(try (0..<count).map { _ in try open(.read) })
        let store = try open(.write)
        store.fileWebhookEvents(webhooks, clock: clock)
        writer = WriterConnection(store)
        listener = StoreChangeListener(location)
    }

    func read<T: Sendable>(_ body: (any StoreReading) throws -> T) async throws -> T {
        let store = await readers.acquire()
        defer { readers.release(store) }
        return try store.reading { try body(store) }
    }

    func write<T: Sendable>(_ body: @Sendable (any StoreWriting) throws -> T) async throws -> T {
        try await writer.write(body)
    }

    /// The webhook outbox's bookkeeping, on the same connection as people's changes.
    func deliver<T: Sendable>(_ body: @Sendable (any WebhookDeliveryStore) throws -> T) async throws -> T {
        try await writer.deliver(body)
    }
}

/// The one read-write connection of the web side, one change at a time.
private actor WriterConnection {
    private let store: Store

    init(_ store: Store) { self.store = store }

    func write<T: Sendable>(_ body: (any StoreWriting) throws -> T) throws -> T { try body(store) }

    func deliver<T: Sendable>(_ body: (any WebhookDeliveryStore) throws -> T) throws -> T { try body(store) }
}

/// Read-only connections handed to one request at a time; a request finding none idle
/// waits for one. A connection is used by one task at a time, which is what SQLite's
/// multi-thread mode asks; the lock guards only the lists, hence unchecked.
private final class ReaderPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Store]
    private var waiting: [CheckedContinuation<Store, Never>] = []

    init(_ stores: [Store]) { idle = stores }

    func acquire() async -> Store {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let store = idle.popLast() {
                lock.unlock()
                continuation.resume(returning: store)
            } else {
                waiting.append(continuation)
                lock.unlock()
            }
        }
    }

    func release(_ store: Store) {
        lock.lock()
        guard !waiting.isEmpty else {
            idle.append(store)
            lock.unlock()
            return
        }
        let next = waiting.removeFirst()
        lock.unlock()
        // Handed from one task to the next: the first is done with it.
        nonisolated(unsafe) let handed = store
        next.resume(returning: handed)
    }
}

/// The secrets file (API keys, sign-in links, sessions), used one request at a time.
actor SecretsAccess {
    private let secrets: SecretStore

    init(path: String) throws { secrets = try SecretStore(path: path, create: true) }

    func key(sha256: [UInt8]) throws -> APIKey? { try secrets.key(sha256: sha256) }

    func session(sha256: [UInt8], now: Int64) throws -> Session? { try secrets.session(sha256: sha256, now: now) }

    func signInLinkLogin(sha256: [UInt8], now: Int64) throws -> String? { try secrets.signInLinkLogin(sha256: sha256, now: now) }

    func redeemSignInLink(sha256: [UInt8], session: NewSession, now: Int64) throws -> String? {
        try secrets.redeemSignInLink(sha256: sha256, session: session, now: now)
    }

    func endSession(sha256: [UInt8]) throws { try secrets.endSession(sha256: sha256) }

    func addMailedSignInLink(login: String, sha256: [UInt8], now: Int64, expiresAt: Int64, notSince: Int64) throws -> Bool {
        try secrets.addMailedSignInLink(login: login, sha256: sha256, now: now, expiresAt: expiresAt, notSince: notSince)
    }

    func wallboard(sha256: [UInt8]) throws -> Wallboard? { try secrets.wallboard(sha256: sha256) }
}

/// The store's change listener as a service of the web server's group: it stops with it.
struct ChangeListening: Service {
    let listener: StoreChangeListener

    func run() async throws {
        await cancelWhenGracefulShutdown { await listener.listen() }
    }
}
