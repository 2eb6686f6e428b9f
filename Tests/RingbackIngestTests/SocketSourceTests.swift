import Foundation
import Logging
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import RingbackTestSupport
import XCTest

/// The push socket: many writers at once, records split anywhere, an abusive writer.
final class SocketSourceTests: XCTestCase {
    private var directory: URL!
    private var socketPath: String { directory.appendingPathComponent("cdr.sock").path }

    override func setUpWithError() throws {
        // Short: a Unix socket path must fit in 108 bytes.
        directory = URL(fileURLWithPath: "/tmp/rb-sock-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    /// A unique cdr_csv row of a missed inbound call.
    static func row(_ writer: Int, _ index: Int) -> String {
        let id = writer * 1000 + index
        let second = String(format: "%02d", id % 60), minute = String(format: "%02d", (id / 60) % 60)
        let tag = String(format: "%08x", id)
        return "\"\",\"8916\(String(format: "%07d", id))\",\"74951112233\",\"from-trunk\",\"\"\"\"\" <8916\(id)>\","
            + "\"PJSIP/trunk-\(tag)\",\"PJSIP/101-\(tag)\",\"Dial\",\"PJSIP/101,30\",\"2026-03-10 10:\(minute):\(second)\",,"
            + "\"2026-03-10 11:\(minute):\(second)\",3600,0,\"NO ANSWER\",\"DOCUMENTATION\",\"1773126000.\(id)\",\"\",\"\","
            + "\"1773126000.\(id)\",0\n"
    }

    private func withSource(_ body: (Store) async throws -> Void) async throws {
        let configuration = try ConfigurationParser.parse(
            "[numbers]\ncountry_code = \"7\"\ntrunk_prefix = \"8\"\n[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "t.toml")
        let storePath = directory.appendingPathComponent("ringback.db").path
        let owner = try StoreWriter(store: .file(storePath), configuration: configuration)
        let context = SourceContext(name: "socket:test", kind: .socket, dialect: .asterisk, columns: nil,
                                    zone: ZoneConverter(identifier: "Europe/Moscow")!)
        let source = SocketSource(address: .unix(path: socketPath), passedDescriptor: nil, context: context, sink: owner,
                                  logger: Logger(label: "test"))
        let reader = try Store(path: storePath)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await source.run() }
            defer { group.cancelAll() }
            let deadline = Date().addingTimeInterval(10)
            while !FileManager.default.fileExists(atPath: socketPath), Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await body(reader)
        }
    }

    /// Runs the writers on threads of their own (they block) and waits for them all.
    private func runWriters(_ writers: [@Sendable () -> Void]) async {
        await withTaskGroup(of: Void.self) { group in
            for writer in writers {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread.detachNewThread {
                            writer()
                            continuation.resume()
                        }
                    }
                }
            }
        }
    }

    private func wait(_ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        XCTFail("condition not met within 30 s")
    }

    func testTwentyConcurrentWritersWithRecordsSplitAnywhere() async throws {
        let path = socketPath
        try await withSource { store in
            await runWriters((0..<20).map { writer in
                { @Sendable in
                    let data = Array((0..<50).map { Self.row(writer, $0) }.joined().utf8)
                    // Writer 0 sends one byte at a time: every byte boundary is a packet boundary.
                    var generator = SystemRandomNumberGenerator()
                    _ = UnixSocketWriter.write(path, data) { _ in writer == 0 ? 1 : Int.random(in: 1...300, using: &generator) }
                }
            })
            try await wait { (try store.counts()["legs"] ?? 0) == 1000 }
            XCTAssertEqual(try store.quarantined().count, 0)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            XCTAssertEqual(mode, 0o660)
        }
    }

    func testAWriterOfTenMegabytesWithoutANewlineIsRefusedAndOthersGoOn() async throws {
        let path = socketPath
        let outcome = OutcomeBox()
        try await withSource { store in
            await runWriters([
                { @Sendable in
                    let result = UnixSocketWriter.write(path, [UInt8](repeating: UInt8(ascii: "x"), count: 10 << 20)) { _ in 64 << 10 }
                    outcome.set(result)
                },
                { @Sendable in _ = UnixSocketWriter.write(path, Array((0..<50).map { Self.row(1, $0) }.joined().utf8)) { _ in 100 } },
                { @Sendable in _ = UnixSocketWriter.write(path, Array((0..<50).map { Self.row(2, $0) }.joined().utf8)) { _ in 7 } },
            ])
            try await wait { (try store.counts()["legs"] ?? 0) == 100 }
            let quarantined = try store.quarantined()
            XCTAssertEqual(quarantined.count, 1)
            XCTAssertTrue(quarantined.first?.reason.contains("without the end of a record; connection closed") == true)
            XCTAssertLessThanOrEqual(quarantined.first?.raw.count ?? .max, 1024)
        }
        let result = outcome.get()
        XCTAssertTrue(result.closedByServer, "the server hung up")
        XCTAssertLessThan(result.sent, 10 << 20, "it did not read 10 MB")
    }
}

final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (sent: Int, closedByServer: Bool) = (0, false)
    func set(_ new: (sent: Int, closedByServer: Bool)) { lock.withLock { value = new } }
    func get() -> (sent: Int, closedByServer: Bool) { lock.withLock { value } }
}
