/// The parts of an Asterisk channel name that the rules need.
///
/// `PJSIP/101-0000001a` → technology `PJSIP`, device `101`;
/// `Local/101@from-queue-00000003;2` → technology `Local`, device `101`, half 2.
public struct ChannelName: Equatable, Sendable {
    public var technology: String
    public var device: String
    /// For `Local/` channels, 1 or 2 (`;1` faces the caller, `;2` the dialled side).
    public var localHalf: Int?

    public var isLocal: Bool { technology.equalsIgnoringASCIICase("Local") }

    public init?(_ raw: String) {
        guard let slash = raw.firstIndex(of: "/") else { return nil }
        technology = String(raw[..<slash])
        var rest = raw[raw.index(after: slash)...]
        guard !technology.isEmpty, !rest.isEmpty else { return nil }
        if technology.equalsIgnoringASCIICase("Local") {
            if let semicolon = rest.lastIndex(of: ";") {
                localHalf = Int(rest[rest.index(after: semicolon)...])
                rest = rest[..<semicolon]
            }
            // Local/101@context-00000003 → 101
            let atSign = rest.firstIndex(of: "@") ?? rest.endIndex
            device = String(rest[..<atSign])
        } else {
            localHalf = nil
            // The unique suffix is the last `-xxxxxxxx`; device names may contain dashes.
            if let dash = rest.lastIndex(of: "-"), rest[rest.index(after: dash)...].allSatisfy(\.isHexDigit),
               rest.index(after: dash) != rest.endIndex {
                device = String(rest[..<dash])
            } else {
                device = String(rest)
            }
            // DAHDI/i1/... or IAX2/peer/...: keep the first path part
            if let inner = device.firstIndex(of: "/") { device = String(device[..<inner]) }
        }
        if device.isEmpty { return nil }
    }
}
