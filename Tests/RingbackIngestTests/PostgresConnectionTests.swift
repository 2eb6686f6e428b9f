import RingbackCore
import RingbackTestSupport
import XCTest
@testable import RingbackStore

/// The PostgreSQL connection on the tests' own server (scripts/postgres-server.sh).
final class PostgresConnectionTests: XCTestCase {
    func testSQLitePlaceholdersBecomeNumberedOnesOutsideQuotesAndComments() {
        XCTAssertEqual(PostgresPlaceholders.translate("SELECT ? + ?").text, "SELECT $1 + $2")
        XCTAssertEqual(PostgresPlaceholders.translate("UPDATE t SET a = ?1 WHERE b < ?1 - ?3 AND c = ?").text,
                       "UPDATE t SET a = $1 WHERE b < $1 - $3 AND c = $4")
        XCTAssertEqual(PostgresPlaceholders.translate("SELECT '?', \"a?\", 'it''s ?' -- why?\n, ?").text,
                       "SELECT '?', \"a?\", 'it''s ?' -- why?\n, $1")
        XCTAssertEqual(PostgresPlaceholders.translate("SELECT ?2, ?").parameters, 3)
    }

    func testValuesComeBackAsTheyWentIn() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (i BIGINT, s TEXT, b BYTEA)")
        let hostile = "O'Brien \"<script>alert(1)</script>\" $1 ? -- ; DROP TABLE t; Ёж 日本"
        let bytes: [UInt8] = [0, 1, 0x5c, 0x78, 255, 0]
        try connection.prepare("INSERT INTO t (i, s, b) VALUES (?, ?, ?)").run([.integer(Int64.min), .text(hostile), .blob(bytes)])
        try connection.prepare("INSERT INTO t (i, s, b) VALUES (?, ?, ?)").run([.null, .text(""), .blob([])])
        let rows = try connection.prepare("SELECT i, s, b FROM t ORDER BY i NULLS LAST").rows([]) {
            ($0.optionalInt(0), $0.optionalString(1), $0.blob(2))
        }
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].0, Int64.min)
        XCTAssertEqual(rows[0].1, hostile)
        XCTAssertEqual(rows[0].2, bytes)
        XCTAssertNil(rows[1].0)
        XCTAssertEqual(rows[1].1, "")
        XCTAssertEqual(rows[1].2, [])
        // A NUL in a text (PostgreSQL's text holds none) is kept visible, not cut short at.
        try connection.prepare("INSERT INTO t (i, s, b) VALUES (?, ?, ?)").run([.integer(7), .text("a\u{0}b"), .blob([])])
        XCTAssertEqual(try connection.prepare("SELECT s FROM t WHERE i = ?").first([.integer(7)]) { $0.string(0) }, "a\u{2400}b")
        try connection.prepare("DELETE FROM t WHERE i = ?").run([.integer(7)])
        // A NULL where a value was bound before: the server infers the type anew.
        let count = try connection.prepare("SELECT count(*) FROM t WHERE s = ? OR ? IS NULL")
        XCTAssertEqual(try count.first([.text(hostile), .text("x")]) { $0.int(0) }, 1)
        XCTAssertEqual(try count.first([.text("nobody"), .null]) { $0.int(0) }, 2)
    }

    func testChangedRowsAndAFailedTransactionLeavesNothing() throws {
        let connection = try open()
        try connection.execute("CREATE TABLE t (k TEXT PRIMARY KEY)")
        XCTAssertEqual(try connection.prepare("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING").run([.text("a")]), 1)
        XCTAssertEqual(try connection.prepare("INSERT INTO t VALUES (?) ON CONFLICT DO NOTHING").run([.text("a")]), 0)
        XCTAssertThrowsError(try connection.transaction {
            try connection.prepare("INSERT INTO t VALUES (?)").run([.text("b")])
            try connection.prepare("INSERT INTO t VALUES (?)").run([.text("a")])
        }) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .constraint)
            XCTAssertTrue("\(error)".contains("duplicate key") && "\(error)".contains("(in: INSERT INTO t VALUES (?))"), "\(error)")
        }
        XCTAssertEqual(try connection.prepare("SELECT count(*) FROM t").first([]) { $0.int(0) }, 1)
    }

    func testAWrongPasswordSaysWhichServerAndNeverShowsThePassword() throws {
        let database = try PostgresTestServer.freshDatabase("password")
        let secret = "s3cret-\(UUID().uuidString)"
        XCTAssertThrowsError(try PostgresConnection(url: database.url, password: secret)) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .cannotOpen)
            XCTAssertTrue("\(error)".contains("127.0.0.1"), "\(error)")
            XCTAssertFalse("\(error)".contains(secret), "\(error)")
        }
        let inURL = database.url.replacingOccurrences(of: "ringback@", with: "ringback:\(secret)@")
        XCTAssertThrowsError(try PostgresConnection(url: inURL, password: nil)) { error in
            XCTAssertFalse("\(error)".contains(secret), "\(error)")
        }
        XCTAssertEqual(PostgresURL.redacted("postgresql://u:pw@h:5/db?sslmode=require"), "postgresql://u:***@h:5/db?sslmode=require")
        XCTAssertEqual(PostgresURL.redacted("host=h password=pw dbname=d"), "host=h password=*** dbname=d")
    }

    func testNoServerIsCannotOpenWithTheReason() {
        XCTAssertThrowsError(try PostgresConnection(url: "postgresql://ringback@127.0.0.1:1/none", password: nil)) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .cannotOpen)
            XCTAssertTrue("\(error)".contains("127.0.0.1:1"), "\(error)")
        }
    }

    /// SPEC §10: `password_file`, else the systemd credential `db.password` (installed empty
    /// when there is none), never the URL.
    func testThePasswordComesFromItsFileOrTheCredential() throws {
        let database = try PostgresTestServer.freshDatabase(name)
        XCTAssertNoThrow(try Store(.server(url: database.url, passwordFile: database.passwordFile)))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("credentials-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let credential = folder.appendingPathComponent(StoreLocation.credentialName).path
        try (database.password + "\n").write(toFile: credential, atomically: true, encoding: .utf8)
        setenv("CREDENTIALS_DIRECTORY", folder.path, 1)
        defer { unsetenv("CREDENTIALS_DIRECTORY") }
        XCTAssertNoThrow(try Store(.server(url: database.url, passwordFile: nil), access: .read), "from the credential")
        // An empty credential is no password: the server then refuses, and says so.
        try "".write(toFile: credential, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try Store(.server(url: database.url, passwordFile: nil))) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .cannotOpen, "\(error)")
        }
        XCTAssertThrowsError(try Store(.server(url: database.url, passwordFile: credential))) { error in
            XCTAssertTrue("\(error)".contains("is empty"), "an empty password_file is a mistake: \(error)")
        }
        XCTAssertThrowsError(try Store(.server(url: database.url, passwordFile: folder.appendingPathComponent("none").path))) { error in
            XCTAssertTrue("\(error)".contains("cannot read the store's password file"), "\(error)")
        }
    }

    /// The server ends the connection (a restart, a fail-over): the statement under way
    /// fails as unreachable, and the next one, outside a transaction, opens it again; inside
    /// a transaction nothing more runs on a new connection.
    func testAConnectionLostBetweenTransactionsIsOpenedAgainAndOneLostInsideOneIsNot() throws {
        let database = try PostgresTestServer.freshDatabase(name)
        let connection = try PostgresConnection(url: database.url, password: database.password)
        func endItsSession() throws {
            let pid = try XCTUnwrap(try connection.prepare("SELECT pg_backend_pid()").first([]) { $0.int(0) })
            _ = try PostgresTestServer.psql("SELECT pg_terminate_backend(\(pid))", on: database)
        }
        try connection.execute("CREATE TABLE t (i BIGINT)")
        try endItsSession()
        XCTAssertThrowsError(try connection.prepare("INSERT INTO t VALUES (?)").run([.integer(1)])) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .unreachable, "\(error)")
        }
        try connection.prepare("INSERT INTO t VALUES (?)").run([.integer(2)])
        XCTAssertEqual(try connection.prepare("SELECT count(*) FROM t").first([]) { $0.int(0) }, 1, "opened again")
        XCTAssertThrowsError(try connection.transaction {
            try connection.prepare("INSERT INTO t VALUES (?)").run([.integer(3)])
            try endItsSession()
            try connection.prepare("INSERT INTO t VALUES (?)").run([.integer(4)])
        }) { error in
            XCTAssertEqual((error as? StoreError)?.kind, .unreachable, "\(error)")
        }
        XCTAssertEqual(try connection.prepare("SELECT i FROM t ORDER BY i").rows([]) { $0.int(0) }, [2],
                       "neither row of the broken transaction")
    }

    /// LISTEN/NOTIFY (SPEC §10): a commit that changed the store is heard by the listener
    /// (the desk's live pages); one that changed nothing is not announced. SQLite has none.
    func testTheListenerHearsCommitsThatChangedTheStoreAndNoOthers() async throws {
        XCTAssertNil(StoreChangeListener(.file("/tmp/x.db")))
        let database = try PostgresTestServer.freshDatabase(name)
        let location = StoreLocation.server(url: database.url, passwordFile: database.passwordFile)
        let writer = try Store(location)
        let listener = try XCTUnwrap(StoreChangeListener(location))
        let listening = Task { await listener.listen() }
        defer { listening.cancel() }
        func waitFor(_ what: String, _ condition: () -> Bool) async throws {
            let deadline = Date().addingTimeInterval(10)
            while !condition(), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
            XCTAssertTrue(condition(), what)
        }
        try await waitFor("listening") { listener.changes.generation >= 1 }
        let start = listener.changes.generation
        try writer.transaction { try writer.setMeta("probe", "1") }
        try await waitFor("a commit that changed a row is heard") { listener.changes.generation > start }
        let after = listener.changes.generation
        try writer.transaction { _ = try writer.meta("probe") }
        try writer.transaction { try writer.setMeta("probe", "2") }
        try await waitFor("the next change is heard") { listener.changes.generation > after }
        XCTAssertEqual(listener.changes.generation, after + 1, "the transaction that only read was not announced")
    }

    private func open() throws -> PostgresConnection {
        let database = try PostgresTestServer.freshDatabase(name)
        return try PostgresConnection(url: database.url, password: database.password)
    }
}
