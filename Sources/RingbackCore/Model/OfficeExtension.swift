/// An extension as the managers file writes it (SPEC §10): `kzn:101` is extension 101 of the
/// office named kzn; a bare `101` is the first office's. Extension 101 in Moscow is not 101
/// in Kazan, so the directory keys an extension by both.
public struct OfficeExtension: Sendable, Hashable {
    /// nil: written bare, the first office's.
    public var office: String?
    public var number: String

    public init(office: String?, number: String) {
        self.office = office
        self.number = number
    }

    /// `kzn:101` → (kzn, 101); `101` → (nil, 101).
    public init(written: String) {
        if let colon = written.firstIndex(of: ":") {
            office = String(written[..<colon])
            number = String(written[written.index(after: colon)...])
        } else {
            office = nil
            number = written
        }
    }

    /// Whether this is an extension of `office`, when `firstOffice` owns the bare ones.
    public func belongs(to office: String, firstOffice: String) -> Bool {
        (self.office ?? firstOffice) == office
    }

    /// An office's name (`[office] name`): letters, digits, `-` and `_`, so that it can lead
    /// an extension (`kzn:101`) and a call id without ambiguity.
    public static func isValidOfficeName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
    }
}
