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

    // Scans UTF-8 bytes: the separators are ASCII, and a Character-level search pays for
    // grapheme breaking on every channel of every leg.
    public init?(_ raw: String) {
        let bytes = raw.utf8
        guard let slash = bytes.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        technology = String(raw[..<slash])
        var rest = raw[bytes.index(after: slash)...]
        guard !technology.isEmpty, !rest.isEmpty else { return nil }
        if technology.equalsIgnoringASCIICase("Local") {
            if let semicolon = rest.utf8.lastIndex(of: UInt8(ascii: ";")) {
                localHalf = Int(rest[rest.utf8.index(after: semicolon)...])
                rest = rest[..<semicolon]
            }
            // Local/101@context-00000003 → 101
            let atSign = rest.utf8.firstIndex(of: UInt8(ascii: "@")) ?? rest.endIndex
            device = String(rest[..<atSign])
        } else {
            localHalf = nil
            // The unique suffix is the last `-xxxxxxxx`; device names may contain dashes.
            if let dash = rest.utf8.lastIndex(of: UInt8(ascii: "-")) {
                let suffix = rest.utf8[rest.utf8.index(after: dash)...]
                device = !suffix.isEmpty && suffix.allSatisfy(Self.isHexDigit) ? String(rest[..<dash]) : String(rest)
            } else {
                device = String(rest)
            }
            // DAHDI/i1/... or IAX2/peer/...: keep the first path part
            if let inner = device.utf8.firstIndex(of: UInt8(ascii: "/")) { device = String(device[..<inner]) }
        }
        if device.isEmpty { return nil }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
