import Foundation
import Synchronization

/// A fake Asterisk Manager Interface on 127.0.0.1 and an ephemeral port: each accepted
/// connection runs the script for its number, on the peer's own thread, with blocking
/// sockets, so that a test says exactly which bytes go out in which packet.
public final class ScriptedAMIPeer: Sendable {
    public let port: Int
    private let listener: Int32
    private let accepted = Mutex<[Date]>([])
    private let stopped = Mutex(false)

    /// The times connections were accepted.
    public var connections: [Date] { accepted.withLock { $0 } }

    public init(script: @escaping @Sendable (_ index: Int, _ connection: PeerConnection) -> Void) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            var index = 0
            while !stopped.withLock({ $0 }) {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                accepted.withLock { $0.append(Date()) }
                let connection = PeerConnection(descriptor: client)
                script(index, connection)
                connection.close()
                index += 1
            }
        }
    }

    public func stop() {
        stopped.withLock { $0 = true }
        shutdown(listener, Int32(SHUT_RDWR))
        Foundation.close(listener)
    }
}

/// One accepted connection, as the script sees it.
public final class PeerConnection: @unchecked Sendable {
    private let descriptor: Int32
    private var received: [UInt8] = []
    private var closed = false

    public init(descriptor: Int32) {
        self.descriptor = descriptor
        var timeout = timeval(tv_sec: 0, tv_usec: 50_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Sends `text` in pieces of `size` bytes with a pause between them, so that the client
    /// sees them in separate reads.
    public func send(_ text: String, inPiecesOf size: Int, pause: TimeInterval = 0.002) {
        let bytes = Array(text.utf8)
        for start in stride(from: 0, to: bytes.count, by: size) {
            send(String(decoding: bytes[start..<min(start + size, bytes.count)], as: UTF8.self))
            Thread.sleep(forTimeInterval: pause)
        }
    }

    /// The next message from the client (`Key: Value` lines up to an empty line), nil when
    /// nothing complete arrives within `timeout` or the client closed.
    public func readMessage(timeout: TimeInterval = 5) -> [String: String]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let end = messageEnd() {
                let text = String(decoding: received[..<end], as: UTF8.self)
                received.removeFirst(end)
                var fields: [String: String] = [:]
                for line in text.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                return fields
            }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return nil }
            if count > 0 { received.append(contentsOf: chunk[..<count]) }
        }
        return nil
    }

    private func messageEnd() -> Int? {
        let text = received
        for index in text.indices.dropFirst(1) where text[index] == 10 {
            if text[index - 1] == 10 { return index + 1 }
            if index >= 3, text[index - 1] == 13, text[index - 2] == 10 { return index + 1 }
        }
        return nil
    }

    public func close() {
        guard !closed else { return }
        closed = true
        Foundation.close(descriptor)
    }
}

/// AMI text the tests send.
public enum AMIText {
    public static let banner = "Asterisk Call Manager/5.0.1\r\n"
    public static let loginAccepted = "Response: Success\r\nActionID: ringback-login\r\nMessage: Authentication accepted\r\n\r\n"

    /// An `Event: Cdr` of a call from `number` to extension 101 that nobody answered.
    /// Its channels end in the uniqueid's last 8 digits, as the end-to-end tests' CSV rows do.
    public static func missedCall(uniqueID: String, number: String, start: String, end: String, lineEnd: String = "\r\n") -> String {
        let tag = String(uniqueID.filter(\.isNumber).suffix(8))
        return ["Event: Cdr", "Privilege: cdr,all", "AccountCode: ", "Source: \(number)", "Destination: 74951112233",
         "DestinationContext: from-trunk", "CallerID: \"\" <\(number)>", "Channel: PJSIP/trunk-\(tag)",
         "DestinationChannel: PJSIP/101-\(tag)", "LastApplication: Dial", "LastData: PJSIP/101,30",
         "StartTime: \(start)", "AnswerTime: ", "EndTime: \(end)", "Duration: 20", "BillableSeconds: 0",
         "Disposition: NO ANSWER", "AMAFlags: DOCUMENTATION", "UniqueID: \(uniqueID)", "UserField: ",
         "LinkedID: \(uniqueID)", "Sequence: 0"].joined(separator: lineEnd) + lineEnd + lineEnd
    }
}
