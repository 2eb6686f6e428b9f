import Foundation

/// How the office's numbers are written, and how to turn them into E.164 (SPEC §2).
public struct NumberPlan: Sendable, Equatable {
    public var countryCode: String
    public var trunkPrefix: String
    public var internationalPrefix: String
    public var areaCode: String
    public var nationalLength: Int
    public var extensionPattern: ExtensionPattern
    public var outsidePrefix: String

    public init(countryCode: String = "", trunkPrefix: String = "", internationalPrefix: String = "00",
                areaCode: String = "", nationalLength: Int = 10, extensionPattern: ExtensionPattern = .twoToFiveDigits,
                outsidePrefix: String = "") {
        self.countryCode = countryCode
        self.trunkPrefix = trunkPrefix
        self.internationalPrefix = internationalPrefix
        self.areaCode = areaCode
        self.nationalLength = nationalLength
        self.extensionPattern = extensionPattern
        self.outsidePrefix = outsidePrefix
    }

    /// Caller ids that cannot be called back.
    public static func isUncallable(_ raw: String) -> Bool {
        // Every word of the list is letters only, so a caller id with a digit is callable.
        if raw.utf8.contains(where: isDigit) { return false }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// The E.164 form of an external number, or its bare digits when no rule fits, or nil
    /// when it holds no digits at all.
    public func normalize(_ raw: String) -> String? {
        // Byte-level: this runs for every call, and Foundation's trimming and Character
        // filtering showed up in the ingest profile.
        let explicitPlus = raw.utf8.first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } == UInt8(ascii: "+")
        let digits = String(decoding: raw.utf8.filter(Self.isDigit), as: UTF8.self)
        guard !digits.isEmpty else { return nil }
        if explicitPlus { return "+" + digits }
        guard !countryCode.isEmpty else { return digits }
        if !internationalPrefix.isEmpty, digits.hasPrefix(internationalPrefix),
           digits.utf8.count > internationalPrefix.utf8.count + 6 {
            return "+" + digits.dropFirst(internationalPrefix.count)
        }
        if !trunkPrefix.isEmpty, digits.hasPrefix(trunkPrefix),
           digits.utf8.count == trunkPrefix.utf8.count + nationalLength {
            return "+" + countryCode + digits.dropFirst(trunkPrefix.count)
        }
        if digits.hasPrefix(countryCode), digits.utf8.count == countryCode.utf8.count + nationalLength {
            return "+" + digits
        }
        if digits.utf8.count == nationalLength { return "+" + countryCode + digits }
        if !areaCode.isEmpty, digits.utf8.count == nationalLength - areaCode.utf8.count {
            return "+" + countryCode + areaCode + digits
        }
        return digits
    }

    /// A dialled number with the outside-line prefix removed (only when something remains
    /// that is longer than an extension could be).
    public func strippingOutsidePrefix(_ dialled: String) -> String {
        guard !outsidePrefix.isEmpty, dialled.hasPrefix(outsidePrefix), dialled.count > outsidePrefix.count + 5 else {
            return dialled
        }
        return String(dialled.dropFirst(outsidePrefix.count))
    }
}
