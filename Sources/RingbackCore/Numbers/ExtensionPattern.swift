import Foundation

/// `[numbers] extension_pattern`, compiled once where the configuration is read, so nothing
/// downstream compiles it again or meets a pattern that does not compile.
public struct ExtensionPattern: @unchecked Sendable, Equatable {
    /// The pattern as written.
    public let source: String
    /// Immutable, and documented as safe to share between threads.
    let regex: NSRegularExpression

    public init?(_ source: String) {
        guard let regex = try? NSRegularExpression(pattern: source) else { return nil }
        self.source = source
        self.regex = regex
    }

    /// Two to five digits: the extensions of most office PBXs.
    public static let twoToFiveDigits = ExtensionPattern("^[0-9]{2,5}$")!

    public func matches(_ name: String) -> Bool {
        regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }

    public static func == (left: ExtensionPattern, right: ExtensionPattern) -> Bool { left.source == right.source }
}
