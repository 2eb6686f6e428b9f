import Foundation

/// A configuration the program refuses to start with, and where the problem is.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var reason: String
    /// The file exists but this user may not read it (the installed file is 0640, for the
    /// service user and the `ringback` group): a matter of access, not of content.
    public var isAccessDenied = false

    public init(file: String, line: Int?, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// The file could not be opened or read; `errno` tells why.
    init(unreadable file: String, errno code: Int32) {
        switch code {
        case EACCES, EPERM:
            self.init(file: file, line: nil, reason: "no access to the configuration (permission denied): ask for membership of the ringback group")
            isAccessDenied = true
        case ENOENT, ENOTDIR:
            self.init(file: file, line: nil, reason: "no such file; give the configuration with --config")
        default:
            self.init(file: file, line: nil, reason: "cannot read the file: \(String(cString: strerror(code)))")
        }
    }

    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}
