import Foundation

/// Decides whether a channel device or a number is an internal extension: it matches the
/// configured pattern or is listed among a manager's extensions (which may be device names).
public final class ExtensionMatcher: @unchecked Sendable {
    private let pattern: ExtensionPattern
    private let listed: Set<String>
    private let lock = NSLock()
    private var cache: [String: Bool] = [:]

    public init(pattern: ExtensionPattern, listed: Set<String>) {
        self.pattern = pattern
        self.listed = listed
    }

    public func isExtension(_ name: String) -> Bool {
        if name.isEmpty { return false }
        if listed.contains(name) { return true }
        lock.lock()
        defer { lock.unlock() }
        if let known = cache[name] { return known }
        let matches = pattern.matches(name)
        if cache.count > 50_000 { cache.removeAll(keepingCapacity: true) }
        cache[name] = matches
        return matches
    }
}
