import Foundation
import Logging
import RingbackConfig
import RingbackCore
import RingbackStore
import ServiceLifecycle

/// A watched CDR directory (`kind = "spool"`): tails every file that matches the source's
/// `files` glob from its checkpoint, and picks up files dropped in.
///
/// A file is known by its device and inode, so a rename by logrotate keeps its place; its
/// first bytes (the fingerprint) tell a reused inode or a file rewritten in place from the
/// one checkpointed. A file that shrank was truncated (copytruncate) and is read again from
/// the start. Re-reading is always safe: a CDR already stored is recognised by its digest.
public struct SpoolSource: Service {
    public let configuration: SourceConfiguration
    public let context: SourceContext
    public let sink: any RecordSink
    public let logger: Logger
    public var chunkSize = 1 << 20
    public var pollMilliseconds: Int32 = 1000

    static let fingerprintLength = 64
    static let compressedSuffixes = [".gz", ".bz2", ".xz", ".zst", ".zip", ".z", ".lz4"]

    public init(configuration: SourceConfiguration, context: SourceContext, sink: any RecordSink, logger: Logger) {
        self.configuration = configuration
        self.context = context
        self.sink = sink
        self.logger = logger
    }

    private struct TrackedFile {
        var path: String
        var offset: Int64
        var line: Int
        var fingerprint: [UInt8]
    }

    /// Runs until cancelled or the service group shuts down gracefully; each pass reads
    /// everything new, then waits for the directory to change. A batch in hand is committed
    /// before it stops.
    public func run() async {
        await cancelWhenGracefulShutdown { await tail() }
    }

    private func tail() async {
        var events = DirectoryEvents(path: configuration.path)
        var tracked: [String: TrackedFile] = [:]
        var lastError: String?
        while !Task.isCancelled {
            do {
                try await pass(&tracked)
                lastError = nil
            } catch {
                let message = "\(error)"
                if message != lastError {
                    logger.error("\(message)", metadata: ["source": "\(context.name)"])
                    lastError = message
                }
                await sink.report(.failing, error: message, of: context)
                // The batch rolled back; its rows are read again on the next pass.
                try? await Task.sleep(for: .seconds(1))
            }
            if Task.isCancelled { break }
            // A directory that did not exist (or could not be watched) may have appeared.
            if !events.usesInotify { events = DirectoryEvents(path: configuration.path) }
            await events.wait(timeoutMilliseconds: pollMilliseconds)
        }
    }

    private func pass(_ tracked: inout [String: TrackedFile]) async throws {
        let present = try matchingFiles()
        for key in tracked.keys where present[key] == nil {
            tracked[key] = nil
            try await sink.forgetCheckpoint(source: context.name, fileKey: key)
        }
        var pending: Int64 = 0
        let ordered = CDRFile.oldestFirst(Array(present.values))
        for (index, found) in ordered.enumerated() {
            let key = found.identity, path = found.path, size = found.size
            if Task.isCancelled { return }
            var file: TrackedFile
            if let known = tracked[key] {
                file = known
                file.path = path
            } else {
                file = TrackedFile(path: path, offset: 0, line: 1, fingerprint: [])
                if let saved = try await sink.checkpoint(source: context.name, fileKey: key) {
                    file.offset = saved.offset
                    file.line = saved.line
                    file.fingerprint = saved.fingerprint
                }
            }
            let head = try readPrefix(path, count: Self.fingerprintLength)
            if size < file.offset || !head.starts(with: file.fingerprint) {
                if file.offset > 0 {
                    logger.notice("\(path) was truncated or replaced; reading it again from the start",
                                  metadata: ["source": "\(context.name)", "file": "\(path)"])
                }
                file.offset = 0
                file.line = 1
            }
            file.fingerprint = head
            let laterFilesGrew = ordered[(index + 1)...].contains { later in
                later.size > (tracked[later.identity]?.offset ?? 0)
            }
            if size > file.offset { try await read(&file, key: key, laterFilesGrew: laterFilesGrew) }
            tracked[key] = file
            pending += max(0, size - file.offset)
        }
        try await sink.reportPending(bytes: pending, of: context)
    }

    /// Reads from the file's offset to its current end, one committed batch per chunk.
    /// A half-written last line stays unread until its line feed arrives.
    private func read(_ file: inout TrackedFile, key: String, laterFilesGrew: Bool) async throws {
        let tail = try FileTail(path: file.path, source: context, offset: file.offset, line: file.line,
                                chunkSize: chunkSize, complete: false)
        while var batch = try tail.next() {
            file.offset = tail.offset
            file.line = tail.line
            batch.checkpoint = (key, Checkpoint(path: file.path, offset: file.offset, line: file.line, fingerprint: file.fingerprint))
            batch.moreToRead = batch.moreToRead || laterFilesGrew
            let result = try await sink.commit(batch)
            let metadata: Logger.Metadata = ["source": "\(context.name)", "file": "\(file.path)", "line": "\(file.line)"]
            if result.rejected > 0 {
                logger.warning("\(result.rejected) rows rejected: see `ringback quarantine`", metadata: metadata)
            }
            // A live tail stores a call at a time: only backfill-sized batches are worth a line.
            logger.log(level: result.stored >= 1000 ? .info : .debug,
                       "read \(result.stored) new rows, \(result.calls) calls", metadata: metadata)
        }
    }

    /// Files of the directory that match the glob, by identity (`device:inode`).
    func matchingFiles() throws -> [String: CDRFile] {
        guard let directory = opendir(configuration.path) else {
            throw IngestError.unreadable(path: configuration.path, reason: "cannot list the directory: \(String(cString: strerror(errno)))")
        }
        closedir(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.path)) ?? []
        var result: [String: CDRFile] = [:]
        for name in names where fnmatch(configuration.files, name, 0) == 0 {
            let lower = name.lowercased()
            if Self.compressedSuffixes.contains(where: { lower.hasSuffix($0) }) { continue }
            guard let file = CDRFile(path: configuration.path + "/" + name) else { continue }
            result[file.identity] = file
        }
        return result
    }

    private func readPrefix(_ path: String, count: Int) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw IngestError.unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: count)
        let read = pread(descriptor, &buffer, count, 0)
        return read > 0 ? Array(buffer.prefix(read)) : []
    }
}
