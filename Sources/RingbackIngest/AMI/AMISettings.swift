import Foundation
import RingbackConfig

/// Where and how the AMI client connects. The secret is read once at start, from the
/// systemd credential when there is one, and never logged.
public struct AMISettings: Sendable {
    public var host: String
    public var port: Int
    public var username: String
    public var secret: String
    /// An `Action: Ping` this often keeps NAT and firewalls from dropping an idle link.
    public var pingInterval: Duration = .seconds(20)
    /// Nothing heard for this long (not even a Pong): the link is dead, connect again.
    public var deadAfter: Duration = .seconds(50)
    public var connectTimeout: Duration = .seconds(10)

    public init(host: String, port: Int, username: String, secret: String) {
        self.host = host
        self.port = port
        self.username = username
        self.secret = secret
    }

    /// The settings of a `kind = "ami"` source. The secret comes from
    /// `$CREDENTIALS_DIRECTORY/<name of secret_file>` (`LoadCredential=`), else `secret_file`.
    public init(_ source: SourceConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let fileName = (source.secretFile as NSString).lastPathComponent
        var candidates: [String] = []
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !fileName.isEmpty {
            candidates.append((credentials as NSString).appendingPathComponent(fileName))
        }
        if !source.secretFile.isEmpty { candidates.append(source.secretFile) }
        guard let path = candidates.first(where: { FileManager.default.isReadableFile(atPath: $0) }),
              let data = FileManager.default.contents(atPath: path) else {
            throw IngestError.unsupported("source \(source.name): cannot read the AMI secret "
                                          + (candidates.isEmpty ? "(no secret_file set)" : "from \(candidates.joined(separator: " or "))"))
        }
        let secret = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        self.init(host: source.host, port: source.port, username: source.username, secret: secret)
    }
}
