import Foundation

/// A CDR file on disk as a reader sees it before opening it: where, how large, how old.
public struct CDRFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    /// Modification time, nanoseconds since the epoch.
    public var modified: Int64
    /// `device:inode`: a rename by logrotate keeps the file's identity (and its read position).
    public var identity: String

    /// The regular file at `path`, or nil when there is none.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        self.path = path
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        identity = "\(info.st_dev):\(info.st_ino)"
    }

    /// The order every reader reads files in: oldest first (rotated files before the live
    /// one, `Master.csv*` globs come newest first), then by name, so the rules meet calls in
    /// the order they happened.
    public static func oldestFirst(_ files: [CDRFile]) -> [CDRFile] {
        files.sorted { ($0.modified, $0.path) < ($1.modified, $1.path) }
    }
}
