import ArgumentParser
import Foundation
import RingbackCore
import RingbackIngest
import RingbackOperations
import RingbackStore

struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Input that could not be read, with its source, file, line and reason.",
        discussion: """
            Fix the configuration (e.g. the source's `columns` or `time_zone`), then --retry: rows that \
            now decode are stored and leave the quarantine. --purge forgets them all.

            Examples:
              ringback quarantine
              ringback quarantine --retry
              ringback quarantine --purge
            """)

    @OptionGroup var options: CommonOptions
    @Flag(help: "Decode the rejected rows again with the current configuration.") var retry = false
    @Flag(help: "Delete every quarantined row.") var purge = false

    func validate() throws {
        if retry && purge { throw ValidationError("--retry and --purge exclude each other") }
    }

    func run() throws {
        let environment = try CommandEnvironment(options)
        if purge {
            print("\(try environment.openWriter().purgeQuarantine()) quarantined rows purged.")
            return
        }
        if retry {
            // A retry loads data like `ingest`; the listing only reads.
            try retryAll(store: try environment.openLoader(), environment: environment)
            return
        }
        let rows = try environment.openReader().quarantined().map { q -> OutputRecord in
            [("quarantine_id", .integer(q.id)), ("source", .text(q.source)), ("file", .text(q.file)),
             ("line", .integer(Int64(q.line))), ("reason", .text(q.reason)), ("received_at", .time(q.createdAt)),
             ("raw", .text(String(decoding: q.raw.prefix(300), as: UTF8.self)))]
        }
        environment.write(rows, columns: ["quarantine_id", "source", "file", "line", "reason", "received_at", "raw"],
                          empty: "Quarantine is empty.")
    }

    private func retryAll(store: any IngestStore, environment: CommandEnvironment) throws {
        let pipeline = try IngestPipeline(store: store, configuration: environment.configuration, clock: .fixed(at: environment.at))
        var stored = 0
        var still = 0
        for record in try store.quarantined() {
            var context = SourceContext(name: record.source, kind: .command,
                                        dialect: Dialect(rawValue: record.dialect) ?? .asterisk, columns: nil,
                                        zone: ZoneConverter(identifier: record.timeZone) ?? .utc)
            if let configured = environment.configuration.sources.first(where: { $0.name == record.source }) {
                context = SourceContext(configured, configuration: environment.configuration)
            }
            var batch = RecordBatch(source: context, file: record.file)
            do {
                var decoder = try context.makeDecoder()
                if decoder.wantsHeader { HeaderLine.prime(&decoder, path: record.file) }
                _ = record.raw.withUnsafeBufferPointer {
                    batch.decode($0, firstLine: record.line, final: true, decoder: &decoder)
                }
            } catch {
                batch.rejected = [RejectedRecord(file: record.file, line: record.line, reason: "\(error)", raw: record.raw)]
            }
            if let rejection = batch.rejected.first {
                try store.updateQuarantineReason(record.id, reason: rejection.reason)
                still += 1
                continue
            }
            batch.quarantineIDs = [record.id]
            try pipeline.commit(batch)
            stored += batch.legs.count
        }
        try pipeline.finish()
        print("\(stored) rows stored, \(still) still refused.")
    }
}
