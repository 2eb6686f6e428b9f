import Synchronization

/// Listing answers kept per store snapshot: the same question (the same caller's view, path,
/// query and `at`) asked again before anything was committed gets the same bytes without
/// reading or rendering again. A wallboard, a manager's open page and a monitoring probe
/// ask exactly that, many times between two of the daemon's commits.
final class ListingCache: Sendable {
    struct Answer: Sendable {
        var body: String
        /// `Link: <…>; rel="next"` of a truncated page.
        var next: String?
    }

    private let entries = Mutex<[String: Answer]>([:])
    /// Full pages are about 330 KB: at most some 10 MB are kept.
    let capacity = 32

    func answer(_ key: String, make: () throws -> Answer) rethrows -> Answer {
        if let found = entries.withLock({ $0[key] }) { return found }
        let made = try make()
        entries.withLock { entries in
            // Keys of older snapshots are never asked again: forgetting all is as good as LRU.
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
        }
        return made
    }
}
