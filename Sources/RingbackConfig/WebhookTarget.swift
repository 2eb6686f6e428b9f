import Foundation
import RingbackCore

/// One `[[webhook]]` (SPEC §8.6).
public struct WebhookSettings: Sendable, Equatable {
    public var target: WebhookTarget
    /// The file holding the shared secret of the signatures; only `ringback-web` reads it.
    public var secretFile: String
    public var events: Set<WebhookEvent>
    /// Hours of retrying before a delivery is given up.
    public var giveUpAfterHours: Int

    public static let defaultGiveUpAfterHours = 24
}

/// Where a webhook goes: `https://`, or `http://` to this machine only, and never a
/// link-local or cloud metadata address (a webhook must not become a way to read the
/// machine's cloud credentials).
public struct WebhookTarget: Sendable, Equatable, CustomStringConvertible {
    public let url: URL
    public let host: String

    /// The reason `text` cannot be a webhook's address, or the address.
    public static func parse(_ text: String) -> Result<WebhookTarget, Refusal> {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let rawHost = url.host, !rawHost.isEmpty
        else { return .failure(Refusal("\"\(text)\" is not an http:// or https:// address")) }
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard scheme == "https" || scheme == "http" else {
            return .failure(Refusal("\"\(scheme)\" is not http or https"))
        }
        if let reason = AddressClass.refusal(forHost: host) { return .failure(Refusal(reason)) }
        if scheme == "http", !AddressClass.isLoopback(host: host) {
            return .failure(Refusal("must be https:// unless it is on this machine (127.0.0.1, ::1, localhost)"))
        }
        guard url.user == nil, url.password == nil else {
            return .failure(Refusal("must not carry a user or password; the signature is what authenticates"))
        }
        return .success(WebhookTarget(url: url, host: host))
    }

    public struct Refusal: Error, Equatable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Scheme, host and path: what a log line may show (a query may carry a CRM's token).
    public var description: String {
        "\(url.scheme ?? "")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
    }
}

/// The address ranges a webhook is refused, checked for the configured host and again for
/// every address its name resolves to at delivery time.
public enum AddressClass {
    static let metadataNames: Set<String> = ["metadata", "metadata.google.internal", "metadata.goog",
                                             "instance-data", "instance-data.ec2.internal"]

    public static func isLoopback(host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        guard let address = bytes(of: host) else { return false }
        return address.count == 4 ? address[0] == 127 : address == [UInt8](repeating: 0, count: 15) + [1]
    }

    /// Why a webhook may not go to `host` (a name or a literal address), or nil.
    public static func refusal(forHost host: String) -> String? {
        if metadataNames.contains(host) { return "\(host) is a cloud metadata service" }
        if let v4 = ipv4(host) {
            if v4[0] == 169 && v4[1] == 254 { return "\(host) is link-local (169.254.0.0/16, where metadata services live)" }
            if v4 == [100, 100, 100, 200] { return "\(host) is a cloud metadata service" }
            if v4 == [0, 0, 0, 0] { return "\(host) is not an address to send to" }
        }
        if let v6 = ipv6(host) {
            if v6[0] == 0xfe && v6[1] & 0xc0 == 0x80 { return "\(host) is link-local (fe80::/10)" }
            if v6 == [0xfd, 0, 0x0e, 0xc2] + [UInt8](repeating: 0, count: 10) + [0x02, 0x54] {
                return "\(host) is a cloud metadata service"
            }
            if v6 == [UInt8](repeating: 0, count: 16) { return "\(host) is not an address to send to" }
            // An IPv4 address written as IPv6 (::ffff:169.254.169.254) is judged as IPv4.
            if v6[0..<10].allSatisfy({ $0 == 0 }) && v6[10] == 0xff && v6[11] == 0xff {
                return refusal(forHost: v6[12...].map(String.init).joined(separator: "."))
            }
        }
        return nil
    }

    /// The address's bytes, an IPv4 address written as IPv6 (`::ffff:10.0.0.5`, as a
    /// dual-stack listener sees IPv4 peers) as its four; nil for what is not an address.
    public static func bytes(of host: String) -> [UInt8]? {
        if let v4 = ipv4(host) { return v4 }
        guard let v6 = ipv6(host) else { return nil }
        let mapped = v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xff && v6[11] == 0xff
        return mapped ? Array(v6[12...]) : v6
    }

    static func ipv4(_ host: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else { return nil }
        return withUnsafeBytes(of: address) { Array($0) }
    }

    static func ipv6(_ host: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return nil }
        return withUnsafeBytes(of: address) { Array($0) }
    }
}
