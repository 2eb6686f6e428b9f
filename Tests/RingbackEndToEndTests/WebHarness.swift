import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// A built `ringback-web` on a free loopback port over a scratch store loaded with fixtures,
/// with API keys made by `ringback api-key`, and a plain HTTP client for it.
final class WebHarness {
    let harness: RingbackHarness
    let port: Int
    let logFile: URL
    private(set) var process: Process?

    /// `loading`: call fixtures ingested before the server starts; `configuration`: more
    /// TOML after the fixtures' configuration and `[web]`.
    init(loading fixtures: String..., web webKeys: String = "", configuration extra: String = "") throws {
        let scratch = try RingbackHarness()
        port = Self.freePort()
        let base = try String(contentsOf: RingbackHarness.fixtures.appendingPathComponent("directory/ringback.toml"), encoding: .utf8)
        let config = scratch.directory.appendingPathComponent("web.toml")
        try (base + """

            [web]
            listen = "127.0.0.1:\(port)"
            secrets_path = "\(scratch.directory.appendingPathComponent("web.db").path)"
            \(webKeys)

            """ + extra).write(to: config, atomically: true, encoding: .utf8)
        harness = try RingbackHarness(config: config.path, sharing: scratch)
        logFile = scratch.directory.appendingPathComponent("ringback-web.log")
        for kind in ["managers", "clients"] {
            let output = try harness.run(["import", kind, RingbackHarness.fixtures.appendingPathComponent("directory/\(kind).csv").path])
            XCTAssertEqual(output.status, 0, output.stderr)
        }
        for name in fixtures {
            let output = try harness.run(["ingest", RingbackHarness.fixtures.appendingPathComponent("calls/\(name).csv").path])
            XCTAssertEqual(output.status, 0, output.stderr)
        }
    }

    /// A new key of `scope`, as `ringback api-key create` prints it.
    func key(_ name: String, scope: String) throws -> String {
        let output = try harness.run(["api-key", "create", name, "--scope", scope])
        XCTAssertEqual(output.status, 0, output.stderr)
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func start() throws {
        let process = Process()
        process.executableURL = RingbackHarness.products.appendingPathComponent("ringback-web")
        process.arguments = ["--config", harness.config] + harness.storeArguments
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            if (try? request("GET", "/healthz"))?.status != nil { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("ringback-web did not answer within 30 s: \(log)")
    }

    /// `ringbackd` on the same configuration and store (for a configuration with a source).
    func startDaemon() throws {
        let daemon = Process()
        daemon.executableURL = RingbackHarness.products.appendingPathComponent("ringbackd")
        daemon.arguments = ["--config", harness.config] + harness.storeArguments
        daemon.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try daemon.run()
        self.daemon = daemon
    }

    private var daemon: Process?

    /// SIGTERM, then the exit status.
    @discardableResult
    func stop() -> Int32 {
        if let daemon {
            daemon.terminate()
            daemon.waitUntilExit()
            self.daemon = nil
        }
        guard let process else { return -1 }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
        return process.terminationStatus
    }

    func remove() {
        stop()
        // A 500's cause is in the server's log, which goes with the scratch folder: it is
        // shown with the test's output first.
        let failures = log.split(separator: "\n").filter { $0.contains("could not answer") }
        if !failures.isEmpty { print("ringback-web's log:\n" + failures.joined(separator: "\n")) }
        harness.remove()
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        var objects: [[String: Any]] { json as? [[String: Any]] ?? [] }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        /// The CSRF token a page's forms carry.
        var csrfToken: String? {
            text.components(separatedBy: "name=\"csrf_token\" value=\"").dropFirst().first?.components(separatedBy: "\"").first
        }
    }

    /// One request; `path` with its query already percent-encoded.
    func request(_ method: String, _ path: String, key: String? = nil, body: Data? = nil) throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.httpBody = body
        request.timeoutInterval = 30
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var outcome: Result<Answer, Error>?
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let error {
                outcome = .failure(error)
            } else if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (name, value) in http.allHeaderFields { headers["\(name)".lowercased()] = "\(value)" }
                outcome = .success(Answer(status: http.statusCode, headers: headers, body: data ?? Data()))
            }
            done.signal()
        }.resume()
        done.wait()
        return try outcome!.get()
    }

    func request(_ method: String, _ path: String, key: String? = nil, json: String) throws -> Answer {
        try request(method, path, key: key, body: Data(json.utf8))
    }

    /// One HTTP/1.1 exchange written by hand on a socket: nothing followed, stored or added
    /// (no redirects, no cookie jar), so a test sees exactly what the server answered.
    func raw(_ method: String, _ path: String, headers: [String: String] = [:], body: String = "") throws -> Answer {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let request = Array((head + "\r\n" + body).utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { throw POSIXError(.EBADMSG) }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        // Hummingbird answers with Content-Length, so the body is what follows the head.
        return Answer(status: status, headers: fields, body: Data(text[split.upperBound...].utf8))
    }

    /// The folder of the test tools' programs (python with jsonschema and Selenium, st),
    /// installed on first use by `scripts/install-test-tools.sh`.
    static func testTools() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [RingbackHarness.repository.appendingPathComponent("scripts/install-test-tools.sh").path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Presses the sign-in button of a link `ringback web-link` printed (or of its path):
    /// the session cookie, as `name=value` for a `Cookie` header.
    func signIn(link: String) throws -> String {
        try signIn(path: String(link.dropFirst("http://127.0.0.1:\(port)".count)))
    }

    func signIn(path: String) throws -> String {
        let answer = try raw("POST", path, body: "action=signin")
        return String((answer.headers["set-cookie"] ?? "").split(separator: ";")[0])
    }

    /// A cdr_csv row of a missed call from `number` (national, e.g. 89035556601) that ended
    /// `endedAgo` seconds ago after ringing 20 s, dialled to `dial`, under the call key `id`.
    static func missedCallNow(from number: String, dial: String = "PJSIP/101&PJSIP/102,30", endedAgo: Double = 20,
                              id: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Moscow")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return missedCall(from: number, dial: dial, start: formatter.string(from: Date().addingTimeInterval(-endedAgo - 20)),
                          end: formatter.string(from: Date().addingTimeInterval(-endedAgo)), id: id)
    }

    /// The same row with its start and end as the PBX writes them (Moscow time).
    static func missedCall(from number: String, dial: String = "PJSIP/101&PJSIP/102,30", start: String, end: String,
                           id: String) -> String {
        let channel = dial.split(separator: "&").first.map { String($0.split(separator: ",")[0]) } ?? "PJSIP/101"
        return #""","\#(number)","74951112233","from-trunk",""""" <\#(number)>","PJSIP/trunk-\#(id.suffix(4))","\#(channel)-\#(id.suffix(4))","Dial","\#(dial)","\#(start)",,"\#(end)",20,0,"NO ANSWER","DOCUMENTATION","\#(id)","","","\#(id)",0"#
    }

    /// A store with a spool source for `ringbackd` to watch: the server (not started) and the
    /// spool's folder.
    static func withSpool() throws -> (WebHarness, URL) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-live-\(UUID().uuidString)")
        let spool = scratch.appendingPathComponent("cdr")
        try FileManager.default.createDirectory(at: spool, withIntermediateDirectories: true)
        let web = try WebHarness(loading: "three-misses", configuration: """

            [[source]]
            kind = "spool"
            name = "pbx"
            path = "\(spool.path)"

            """)
        return (web, spool)
    }

    /// A TCP port nobody listens on now.
    static func freePort() -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(probe, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(probe, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
