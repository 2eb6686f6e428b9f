import Foundation
import Logging
import RingbackConfig
import RingbackCore
import RingbackStore

/// A watched CDR directory (`kind = "spool"`): tails every file that matches the source's
/// `files` glob from its checkpoint, and picks up files dropped in.
///
/// A file is known by its device and inode, so a rename by logrotate keeps its place; its
/// first bytes (the fingerprint) tell a reused inode or a file rewritten in place from the
/// one checkpointed. A file that shrank was truncated (copytruncate) and is read again from
/// the start. Re-reading is always safe: a CDR already stored is recognised by its digest.
public struct SpoolSource: Sendable {
    public let configuration: SourceConfiguration
    public let context: SourceContext
    public let owner: PipelineOwner
    public let logger: Logger
    public var chunkSize = 1 << 20
    public var pollMilliseconds: Int32 = 1000

    static let fingerprintLength = 64
    static let compressedSuffixes = [".gz", ".bz2", ".xz", ".zst", ".zip", ".z", ".lz4"]

    public init(configuration: SourceConfiguration, context: SourceContext, owner: PipelineOwner, logger: Logger) {
        self.configuration = configuration
        self.context = context
        self.owner = owner
        self.logger = logger
    }

    private struct TrackedFile {
        var path: String
        var offset: Int64
        var line: Int
        var fingerprint: [UInt8]
    }

    /// Runs until `shouldStop` says so; each pass reads everything new, then waits for the
    /// directory to change.
    public func run(shouldStop: @Sendable () -> Bool) async {
        var events = DirectoryEvents(path: configuration.path)
        var tracked: [String: TrackedFile] = [:]
        var lastError: String?
        while !shouldStop() {
            do {
                try await pass(&tracked, shouldStop: shouldStop)
                lastError = nil
            } catch {
                let message = "\(error)"
                if message != lastError {
                    logger.error("\(message)", metadata: ["source": "\(context.name)"])
                    lastError = message
                }
                await owner.reportFailure(source: context.name, kind: context.kind, error: message,
                                          now: Int64(Date().timeIntervalSince1970))
                // The batch rolled back; its rows are read again on the next pass.
                try? await Task.sleep(for: .seconds(1))
            }
            if shouldStop() { break }
            // A directory that did not exist (or could not be watched) may have appeared.
            if !events.usesInotify { events = DirectoryEvents(path: configuration.path) }
            await events.wait(timeoutMilliseconds: pollMilliseconds)
        }
    }

    private func pass(_ tracked: inout [String: TrackedFile], shouldStop: () -> Bool) async throws {
        let present = try matchingFiles()
        for key in tracked.keys where present[key] == nil {
            tracked[key] = nil
            try await owner.forgetCheckpoint(source: context.name, fileKey: key)
        }
        var pending: Int64 = 0
        // Oldest first (rotated files before the live one), so the rules see calls in time order.
        let ordered = present.sorted { ($0.value.2, $0.value.0) < ($1.value.2, $1.value.0) }
        for (index, (key, (path, size, _))) in ordered.enumerated() {
            if shouldStop() { return }
            var file: TrackedFile
            if let known = tracked[key] {
                file = known
                file.path = path
            } else {
                file = TrackedFile(path: path, offset: 0, line: 1, fingerprint: [])
                if let saved = try await owner.checkpoint(source: context.name, fileKey: key) {
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
                later.value.1 > (tracked[later.key]?.offset ?? 0)
            }
            if size > file.offset { try await read(&file, key: key, size: size, laterFilesGrew: laterFilesGrew) }
            tracked[key] = file
            pending += max(0, size - file.offset)
        }
        try await owner.reportProgress(source: context.name, kind: context.kind, pendingBytes: pending,
                                       now: Int64(Date().timeIntervalSince1970))
    }

    /// Reads from the file's offset to its current end, one committed batch per chunk.
    /// A half-written last line stays unread until its line feed arrives.
    private func read(_ file: inout TrackedFile, key: String, size: Int64, laterFilesGrew: Bool) async throws {
        let descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw IngestError.unreadable(path: file.path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var decoder = try context.makeDecoder()
        if decoder.wantsHeader, file.offset > 0 { HeaderLine.prime(&decoder, descriptor: descriptor) }
        // Sized to what is new (a live append is a line or two), at most one chunk.
        let unread = Int(min(Int64(chunkSize), max(Int64(128 << 10), size - file.offset)))
        var buffer = [UInt8](repeating: 0, count: unread)
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, off_t(file.offset)) }
            guard count > 0 else { return }
            var batch = RecordBatch(source: context, file: file.path)
            var (consumed, lines) = buffer.withUnsafeBufferPointer {
                batch.decode(UnsafeBufferPointer(rebasing: $0[0..<count]), firstLine: file.line, final: false, decoder: &decoder)
            }
            if consumed == 0 {
                guard count == buffer.count else { return }  // a half-written line: wait for the rest
                if buffer.count < chunkSize {
                    buffer = [UInt8](repeating: 0, count: chunkSize)
                    continue
                }
                // A whole chunk without a line feed: far over the record limit. Reject it and
                // skip to the next line feed once one is written.
                guard let skip = try skipToLineFeed(descriptor, from: file.offset) else { return }
                batch.rejected.append(RejectedRecord(
                    file: file.path, line: file.line,
                    reason: "record of at least \(skip) bytes without a line feed; the limit is 64 KiB",
                    raw: Array(buffer.prefix(1024))))
                consumed = Int(skip)
                lines = 1
            }
            file.offset += Int64(consumed)
            file.line += lines
            batch.checkpoint = (key, Checkpoint(path: file.path, offset: file.offset, line: file.line, fingerprint: file.fingerprint))
            batch.pendingBytes = max(0, size - file.offset)
            batch.moreToRead = count == buffer.count || laterFilesGrew
            let result = try await owner.commit(batch)
            let metadata: Logger.Metadata = ["source": "\(context.name)", "file": "\(file.path)", "line": "\(file.line)"]
            if result.rejected > 0 {
                logger.warning("\(result.rejected) rows rejected: see `ringback quarantine`", metadata: metadata)
            }
            // A live tail stores a call at a time: only backfill-sized batches are worth a line.
            logger.log(level: result.stored >= 1000 ? .info : .debug,
                       "read \(result.stored) new rows, \(result.calls) calls", metadata: metadata)
        }
    }

    /// The length up to and including the next line feed at or after `offset`, if any.
    private func skipToLineFeed(_ descriptor: Int32, from offset: Int64) throws -> Int64? {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = offset
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, off_t(position)) }
            guard count > 0 else { return nil }
            if let index = buffer[0..<count].firstIndex(of: 10) { return position + Int64(index) + 1 - offset }
            position += Int64(count)
        }
    }

    /// Files of the directory that match the glob, by `device:inode`, with path, size and
    /// modification time.
    func matchingFiles() throws -> [String: (String, Int64, Int)] {
        guard let directory = opendir(configuration.path) else {
            throw IngestError.unreadable(path: configuration.path, reason: "cannot list the directory: \(String(cString: strerror(errno)))")
        }
        closedir(directory)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: configuration.path)) ?? []
        var result: [String: (String, Int64, Int)] = [:]
        for name in names where fnmatch(configuration.files, name, 0) == 0 {
            let lower = name.lowercased()
            if Self.compressedSuffixes.contains(where: { lower.hasSuffix($0) }) { continue }
            let path = configuration.path + "/" + name
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            result["\(info.st_dev):\(info.st_ino)"] = (path, Int64(info.st_size), info.st_mtim.tv_sec)
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
