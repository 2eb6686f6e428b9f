import CSystemd
import Foundation
import Logging

/// swift-log to the systemd journal, with the metadata as fields of their own
/// (`journalctl -u ringbackd SOURCE=pbx`): `source` → `SOURCE`, `call_id` → `CALL_ID`.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let identifier: String

    public init(identifier: String) { self.identifier = identifier }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var fields = Self.fields(level: event.level, message: "\(event.message)", metadata: merged, identifier: identifier)
        fields.append("CODE_FILE=\(event.file)")
        fields.append("CODE_LINE=\(event.line)")
        fields.append("CODE_FUNC=\(event.function)")
        Self.send(fields)
    }

    /// The journal entry's `NAME=value` fields.
    public static func fields(level: Logger.Level, message: String, metadata: Logger.Metadata,
                              identifier: String) -> [String] {
        var fields = ["MESSAGE=\(message)", "PRIORITY=\(priority(level))", "SYSLOG_IDENTIFIER=\(identifier)"]
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard let name = fieldName(key) else { continue }
            fields.append("\(name)=\(value)")
        }
        return fields
    }

    /// Journal field names are upper-case letters, digits and underscores, not starting with
    /// an underscore or a digit (those are the journal's own).
    static func fieldName(_ key: String) -> String? {
        let name = String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        guard let first = name.first, first.isLetter, name.count <= 64 else { return nil }
        return ["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER"].contains(name) ? "META_" + name : name
    }

    /// syslog priorities: 2 critical, 3 error, 4 warning, 5 notice, 6 info, 7 debug.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func send(_ fields: [String]) {
        let copies = fields.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let vectors = copies.map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: strlen($0!)) }
        _ = vectors.withUnsafeBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
    }

    /// Whether standard error is connected to the journal (systemd sets `JOURNAL_STREAM` to
    /// the device and inode of the stream it gave the service).
    public static var standardErrorIsJournal: Bool {
        guard let stream = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] else { return false }
        var info = stat()
        guard fstat(2, &info) == 0 else { return false }
        return stream == "\(info.st_dev):\(info.st_ino)"
    }

    /// Makes swift-log write to the journal, with the metadata as fields, when standard
    /// error is the journal's stream (under systemd), else plain lines on standard error;
    /// returns the program's logger at `info`.
    public static func bootstrap(identifier: String) -> Logger {
        let toJournal = standardErrorIsJournal
        LoggingSystem.bootstrap { label -> any LogHandler in
            toJournal ? JournalLogHandler(identifier: identifier) : StreamLogHandler.standardError(label: label)
        }
        var logger = Logger(label: identifier)
        logger.logLevel = .info
        return logger
    }
}
