import Foundation
import Logging
import RingbackCore
import ServiceLifecycle

/// Imports `managers*.csv`, `clients*.csv` and `contacts*.csv` dropped into `[directory]
/// path`, again whenever one changes. Importing the same file twice is harmless, so a
/// restart simply imports what is there once more.
public struct DirectoryDropWatcher: Service {
    public let path: String
    public let sink: any RecordSink
    public let logger: Logger
    /// What the daemon imported before its sources started.
    public var alreadyImported: Seen = [:]

    public init(path: String, sink: any RecordSink, logger: Logger) {
        self.path = path
        self.sink = sink
        self.logger = logger
    }

    /// What was imported, by file: its inode, size and modification time.
    public typealias Seen = [String: String]

    /// Imports every file new or changed since `seen`. The daemon calls it once before its
    /// sources start, so the first CDRs already meet the directory.
    public func importChanged(_ seen: inout Seen) async {
        guard let listing = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in listing.sorted() {
            guard let kind = DirectoryKind(fileName: name) else { continue }
            let file = path + "/" + name
            var info = stat()
            guard stat(file, &info) == 0 else { continue }
            let signature = "\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec):\(info.st_mtim.tv_nsec)"
            guard seen[file] != signature else { continue }
            seen[file] = signature
            do {
                let result = try await sink.importDirectoryFile(file, kind: kind)
                logger.info("imported \(result.imported) \(kind.rawValue)", metadata: ["file": "\(file)"])
                for error in result.errors {
                    logger.warning("row skipped: \(error.reason)", metadata: ["file": "\(file)", "line": "\(error.line)"])
                }
            } catch {
                logger.error("import failed: \(error)", metadata: ["file": "\(file)"])
            }
        }
    }

    /// Watches for new or changed files, after those `alreadyImported`, until cancelled or
    /// the service group shuts down gracefully.
    public func run() async {
        await cancelWhenGracefulShutdown { await watch() }
    }

    private func watch() async {
        let events = DirectoryEvents(path: path)
        var seen = alreadyImported
        var warned = false
        while !Task.isCancelled {
            let exists = FileManager.default.fileExists(atPath: path)
            if !exists, !warned {
                logger.warning("cannot list the directory; nothing is imported from it until it exists", metadata: ["file": "\(path)"])
            }
            warned = !exists
            await importChanged(&seen)
            await events.wait(timeoutMilliseconds: 2000)
        }
    }
}
