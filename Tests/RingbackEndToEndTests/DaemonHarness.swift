import Foundation
import XCTest

/// A `ringbackd` watching a scratch spool directory, and the clock-free waits its tests need.
final class DaemonHarness {
    let harness: RingbackHarness
    let spool: URL
    private(set) var process: Process?
    var environment: [String: String] = ProcessInfo.processInfo.environment
    /// Where the daemon's log goes; nil: nowhere.
    var logFile: URL?

    /// Where `[directory] path` points: managers/clients/contacts files dropped here are imported.
    let dropFolder: URL

    /// `sourceSettings`: more lines of the spool `[[source]]`, e.g. a dialect and its mapping;
    /// `sections`: more sections at the end, e.g. `[hooks]`.
    init(sourceSettings: String = "", sections: String = "", storePath: String? = nil) throws {
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"), encoding: .utf8)
        let scratch = try RingbackHarness()
        spool = scratch.directory.appendingPathComponent("cdr")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        dropFolder = scratch.directory.appendingPathComponent("import")
        try FileManager.default.createDirectory(at: dropFolder, withIntermediateDirectories: true)
        let config = scratch.directory.appendingPathComponent("daemon.toml")
        try (base + """

            [[source]]
            kind = "spool"
            name = "pbx"
            path = "\(spool.path)"
            \(sourceSettings)

            [directory]
            path = "\(dropFolder.path)"
            \(sections)

            """).write(to: config, atomically: true, encoding: .utf8)
        harness = try RingbackHarness(config: config.path, sharing: scratch, db: storePath)
    }

    var masterCSV: URL { spool.appendingPathComponent("Master.csv") }

    func start() throws {
        let process = Process()
        process.executableURL = RingbackHarness.products.appendingPathComponent("ringbackd")
        process.arguments = ["--config", harness.config] + harness.storeArguments
        process.environment = environment
        if let logFile {
            if !FileManager.default.fileExists(atPath: logFile.path) { _ = FileManager.default.createFile(atPath: logFile.path, contents: nil) }
            let handle = try FileHandle(forWritingTo: logFile)
            try handle.seekToEnd()
            process.standardError = handle
        } else {
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        }
        try process.run()
        self.process = process
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        guard let process else { return -1 }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    /// The exit status once the daemon ended by itself, nil if it still runs after `seconds`.
    func exitStatus(within seconds: Double) -> Int32? {
        guard let process else { return nil }
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else { return nil }
        self.process = nil
        return process.terminationStatus
    }

    func killHard() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Rows the daemon has stored, by `ringback status`.
    func storedRows() throws -> Int {
        guard harness.database != nil || FileManager.default.fileExists(atPath: harness.db) else { return 0 }
        let output = try harness.run(["status", "--format", "json"])
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]] else { return 0 }
        return parsed.compactMap { $0.int("rows") }.reduce(0, +)
    }

    /// Waits until `condition` holds; fails after `seconds`.
    func wait(seconds: Double = 60, file: StaticString = #filePath, line: UInt = #line, _ condition: () throws -> Bool) rethrows {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("condition not met within \(seconds) s", file: file, line: line)
    }

    func append(_ lines: ArraySlice<String>, to url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(lines.map { $0 + "\n" }.joined().utf8))
        try handle.close()
    }

    /// The unique suffix of a channel name (hex digits) made from a uniqueid.
    static func channelTag(_ uniqueID: String) -> String { String(uniqueID.filter(\.isNumber).suffix(8)) }

    /// Moscow wall time, as the fixture office's PBX writes it.
    static func moscowTime(_ date: Date) -> String {
        let format = DateFormatter()
        format.timeZone = TimeZone(identifier: "Europe/Moscow")!
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return format.string(from: date)
    }

    /// A `cdr_csv` row of a call from `number` straight to extension 101, nobody answering,
    /// that started `secondsAgo` before now (Moscow time, as the fixture office writes it).
    static func missedCallRow(startedSecondsAgo secondsAgo: Double, number: String = "89035551010",
                              uniqueID: String = "1773126999.1") -> (row: String, start: Date) {
        missedCallRow(start: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - secondsAgo).rounded()),
                      number: number, uniqueID: uniqueID)
    }

    static func missedCallRow(start: Date, number: String, uniqueID: String) -> (row: String, start: Date) {
        func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let row = ["", number, "74951112233", "from-trunk", "\"\" <\(number)>", "PJSIP/trunk-\(channelTag(uniqueID))",
                   "PJSIP/101-\(channelTag(uniqueID))", "Dial", "PJSIP/101,30", moscowTime(start)].map(quoted)
            + ["", quoted(moscowTime(start.addingTimeInterval(20))), "20", "0"]
            + ["NO ANSWER", "DOCUMENTATION", uniqueID, "", "", uniqueID].map(quoted) + ["0"]
        return (row.joined(separator: ","), start)
    }

    /// `count` rows of realistic CDRs from the generator.
    static func generatedRows(_ count: Int, seed: Int = 3) throws -> [String] {
        let process = Process()
        process.executableURL = RingbackHarness.products.appendingPathComponent("ringback-cdrgen")
        process.arguments = ["--rows", String(count), "--seed", String(seed), "--start", "2026-03-02"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func remove() {
        if process != nil { killHard() }
        harness.remove()
    }
}
