import Foundation
import RingbackCore

/// The store, on SQLite or PostgreSQL: the only place that knows SQL. It implements the
/// store interface (`IngestStore`, and so `StoreWriting` and `StoreReading`); what a program
/// may do with it follows from which of the three it is handed.
///
/// Concurrency rules on SQLite, as GRDB states them: one writer (the daemon's pipeline, or
/// one CLI command at a time) in WAL mode, readers never block it; CLI writes are short
/// IMMEDIATE transactions that wait up to the busy timeout for the daemon's batch to commit.
/// On PostgreSQL several daemons write at once, each batch in a READ COMMITTED transaction
/// holding its numbers' locks (`lockNumbers`); readers read one REPEATABLE READ snapshot.
public final class Store {
    let connection: Connection
    /// The office this program works for (`[office] name`, SPEC §10; "" unnamed): the calls it
    /// records, its PBX's silence and heartbeat are that office's.
    public var office = ""

    /// How a program uses the store. Only the daemon and the commands that load data migrate
    /// it; a command that reads (or writes an acknowledgement) from a newer or older build
    /// never changes the schema under a running daemon.
    public enum Access: Sendable {
        /// Read-only, inside read transactions: listings, the report, status.
        case read
        /// Short writes to a store of this build's schema: ack, resolve, assign.
        case write
        /// Creates the store when `create`, and brings its schema up to date.
        case migrate
    }

    /// Opens (and, when `create`, creates and migrates) the SQLite store at `path`.
    public convenience init(path: String, create: Bool = true, access: Access = .migrate) throws {
        try self.init(.file(path), create: create, access: access)
    }

    /// Opens the store at `location`; a PostgreSQL database is migrated when `access` is
    /// `.migrate`, whatever `create` says (an empty database is created by its administrator).
    public init(_ location: StoreLocation, create: Bool = true, access: Access = .migrate) throws {
        switch location {
        case .file(let path):
            connection = .sqlite(try Self.openFile(path, create: create, access: access))
            identity = Self.fileIdentity(path)
        case .server(let url, let passwordFile):
            let postgres = try PostgresConnection(url: url, password: try location.password(file: passwordFile))
            connection = .postgres(postgres)
            if access == .migrate { try PostgresSchema.apply(to: postgres) } else { try PostgresSchema.check(postgres) }
        }
    }

    private static func openFile(_ path: String, create: Bool, access: Access) throws -> SQLiteConnection {
        let presence = Self.presence(of: path, writing: access != .read)
        if presence == .denied {
            throw StoreError(.cannotOpen, "no access to the store \(path): ask for membership of the ringback group")
        }
        if !create, presence == .absent {
            throw StoreError(.cannotOpen, "no store at \(path): run ringbackd or `ringback ingest` first, or pass --db")
        }
        if presence == .absent {
            // SQLite would create the file 0644; the group (managers, the head) needs to write
            // too. Its -wal and -shm files take the mode of the database file. The umask
            // (0007 in both programs) keeps others out.
            let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o660)
            if descriptor >= 0 { close(descriptor) }
        }
        let connection = try SQLiteConnection(path: path, readOnly: access == .read)
        guard access == .migrate else {
            try SQLiteSchema.check(connection)
            // A reader maps the file instead of copying each page it reads into a cache
            // of its own: ringback-web keeps a connection per core (measured: the kernel's
            // page copies were a sixth of an API answer's time).
            if access == .read { try connection.execute("PRAGMA mmap_size = 268435456") }
            return connection
        }
        // 16 KiB pages (they take effect only when the file is created): a backfill writes
        // fewer, fuller pages to the WAL and back (1 M rows: 15.4 → 13.7 s); a live commit
        // writes a few more bytes, which costs nothing measurable.
        try connection.execute("PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY")
        try SQLiteSchema.apply(to: connection)
        return connection
    }

    private enum Presence { case present, absent, denied }

    /// Whether the store file is there and this user may open it, from `errno`: a state
    /// directory this user cannot enter (0770, another group) is "no access", not "absent".
    /// Asked with `faccessat`, never by opening the file: closing any descriptor of a file
    /// drops every POSIX lock the process holds on it, SQLite's too, and another connection
    /// of this process (ringback-web has two) would then lose its WAL to a third program
    /// that believes itself the last one.
    private static func presence(of path: String, writing: Bool) -> Presence {
        if faccessat(AT_FDCWD, path, writing ? R_OK | W_OK : R_OK, AT_EACCESS) == 0 { return .present }
        switch errno {
        case EACCES, EPERM: return .denied
        case ENOENT, ENOTDIR: return .absent
        default: return .present  // SQLite gives the precise reason
        }
    }

    /// The store file's device and inode when it was opened.
    private var identity: (dev: UInt64, ino: UInt64)?

    private static func fileIdentity(_ path: String) -> (dev: UInt64, ino: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Fails when the store file was deleted or replaced since it was opened: writes would
    /// go on into a file nobody can read, which is silent loss. A server's store has no file.
    public func checkStillInPlace() throws {
        guard case .sqlite(let sqlite) = connection else { return }
        let now = Self.fileIdentity(sqlite.path)
        guard let identity, let now, now.dev == identity.dev, now.ino == identity.ino else {
            throw StoreError(.cannotOpen, "the store \(sqlite.path) was deleted or replaced while in use; "
                             + "stopping so that nothing is written where nobody can read it")
        }
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T { try connection.transaction(body) }

    /// One snapshot for everything `body` reads: a report or a listing agrees with itself
    /// while the daemon commits.
    /// Inside another `reading`, it is part of that snapshot.
    public func reading<T>(_ body: () throws -> T) throws -> T {
        if readingDepth > 0 { return try body() }
        try connection.beginReading()
        readingDepth += 1
        defer {
            readingDepth -= 1
            try? connection.execute("COMMIT")
        }
        return try body()
    }

    private var readingDepth = 0

    /// The webhooks events are filed for (`fileWebhookEvents`); nil files none.
    var outbox: WebhookOutbox?

    func meta(_ key: String) throws -> String? {
        try connection.prepare("SELECT value FROM meta WHERE key = ?").first([.text(key)]) { $0.string(0) }
    }

    func setMeta(_ key: String, _ value: String) throws {
        try connection.prepare("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .run([.text(key), .text(value)])
    }

    /// Increases whenever the directory changes, so a long-running pipeline knows to reload it.
    public func directoryVersion() throws -> Int { Int(try meta("directory_version") ?? "0") ?? 0 }
}

extension Store: IngestStore, WebhookDeliveryStore {}
