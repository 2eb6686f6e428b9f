import Foundation
import Logging
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackStore
import ServiceLifecycleTestKit
import XCTest

/// Sources are services: a graceful shutdown of their group stops them, in process, after
/// what they read is stored. (The daemon's SIGTERM path is tested on the built binary in
/// `DaemonTests`.)
final class GracefulShutdownTests: XCTestCase {
    private var directory: URL!
    private var storePath: String { directory.appendingPathComponent("ringback.db").path }

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: "/tmp/rb-stop-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("cdr"), withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: directory) }

    func testSpoolSourceStopsOnGracefulShutdownAfterStoringWhatItRead() async throws {
        let configuration = try ConfigurationParser.parse("[calendar]\ntimezone = \"Europe/Moscow\"\n", file: "t.toml")
        let writer = try StoreWriter(store: .file(storePath), configuration: configuration)
        var source = SourceConfiguration(name: "pbx", kind: .spool)
        source.path = directory.appendingPathComponent("cdr").path
        let spool = SpoolSource(configuration: source, context: SourceContext(source, configuration: configuration),
                                sink: writer, logger: Logger(label: "test"))
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/calls/three-misses.csv")
        let rows = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n").count
        let reader = try Store(path: storePath, access: .read)

        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await spool.run() }
                try FileManager.default.copyItem(at: fixture, to: URL(fileURLWithPath: source.path + "/Master.csv"))
                let deadline = ContinuousClock.now + .seconds(20)
                while try reader.counts()["legs"] != rows, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                XCTAssertEqual(try reader.counts()["legs"], rows)
                trigger.triggerGracefulShutdown()
                // Returns only when the source's run() has returned.
                try await group.waitForAll()
            }
        }
    }
}
