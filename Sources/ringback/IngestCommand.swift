import ArgumentParser
import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load CDR files once, through the same pipeline as the daemon.",
        discussion: """
            Safe to repeat: a CDR already stored is recognised and skipped. Files are read oldest first \
            (by modification time), whatever their order on the command line. A file under a configured \
            source's path takes that source's dialect and time zone; --dialect and --time-zone override. \
            Rows that cannot be read go to `ringback quarantine` with their line and reason.

            Examples:
              ringback ingest /var/log/asterisk/cdr-csv/Master.csv.1
              ringback ingest old/*.csv --time-zone UTC     # files written with usegmtime=yes
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "CDR files.") var files: [String]
    @Option(help: "The files' dialect (default: the source's, else asterisk).") var dialect: Dialect?
    @Option(name: .customLong("time-zone"), help: "Zone of the files' timestamps, e.g. UTC or Europe/Moscow.")
    var timeZone: ZoneConverter?

    func run() throws {
        let environment = try CommandEnvironment(options)
        let store = try environment.openLoader(create: true)
        let pipeline = try IngestPipeline(store: store, configuration: environment.configuration,
                                          clock: .fixed(at: environment.at))
        let ingestor = FileIngestor(pipeline: pipeline)
        var failed = false
        // A path that is no regular file goes first, and `ingest` names the reason.
        let missing = files.filter { CDRFile(path: $0) == nil }
        let ordered = missing + CDRFile.oldestFirst(files.compactMap(CDRFile.init(path:))).map(\.path)
        let sizes = ordered.map { CDRFile(path: $0)?.size ?? 0 }
        for (index, file) in ordered.enumerated() {
            let source = sourceContext(for: file, configuration: environment.configuration)
            do {
                let result = try ingestor.ingest(path: file, source: source, laterBytes: sizes[(index + 1)...].reduce(0, +))
                var line = "\(file): \(result.stored) rows stored, \(result.duplicates) already stored, "
                    + "\(result.calls) calls"
                if result.rejected > 0 { line += ", \(result.rejected) rows rejected (see `ringback quarantine`)" }
                print(line)
                if result.rejected > 0, result.stored + result.duplicates == 0 { failed = true }
            } catch let error as IngestError {
                printError("ringback: \(error)")
                failed = true
            }
        }
        try pipeline.finish()
        if failed { throw ExitCode(ExitStatus.badInput) }
    }

    private func sourceContext(for file: String, configuration: RingbackConfiguration) -> SourceContext {
        let absolute = URL(fileURLWithPath: file).standardizedFileURL.path
        var context = SourceContext(name: "ingest", kind: .command, dialect: .asterisk, columns: nil,
                                    zone: configuration.calendar.zone)
        if let source = configuration.sources.first(where: { source in
            source.kind == .spool && absolute.hasPrefix(URL(fileURLWithPath: source.path).standardizedFileURL.path + "/")
        }) {
            context = SourceContext(source, configuration: configuration)
            // A one-shot read, not the daemon's tailing: `status` judges no lag for it.
            context.kind = .command
        }
        if let dialect { context.dialect = dialect }
        // `--dialect mapped` on a file outside every source: the one configured mapping.
        if context.dialect == .mapped, context.mapping == nil {
            context.mapping = configuration.sources.first { $0.dialect == .mapped }?.mapping
        }
        if let timeZone { context.zone = timeZone }
        return context
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the directory: managers, clients or CRM contacts (CSV with a header row).",
        discussion: """
            Re-importing a file is harmless; a newer file updates the entries it names. Several values in \
            one cell are separated by ';'.
              managers: manager_id,name,extensions,login,email,role       (role: manager or head;
                        optional column mobiles: the manager's own external numbers)
              clients:  client_id,name,abc,phones,manager_id              (abc: A, B, C or empty)
              contacts: contact_id,created_at,manager_id,client_id,phone,kind,note

            Examples:
              ringback import managers managers.csv
              ringback import contacts crm-export.csv
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "What the file holds.") var kind: DirectoryKind
    @Argument(help: "The CSV file.") var file: String

    func run() throws {
        let environment = try CommandEnvironment(options)
        let store = try environment.openLoader(create: true)
        let result: ImportResult
        do {
            result = try DirectoryImporter(configuration: environment.configuration)
                .importFile(file, kind: kind, into: store, now: environment.now)
        } catch let error as DirectoryCSV.LineError {
            throw CommandFailure(message: "\(file): \(error)", status: ExitStatus.badInput)
        } catch let error as IngestError {
            throw CommandFailure(message: error.description, status: ExitStatus.badInput)
        }
        for error in result.errors { printError("\(file): \(error) (row skipped)") }
        var summary = "\(file): \(result.imported) \(kind.rawValue) imported"
        if result.contactsFound > 0 { summary += ", \(result.contactsFound) no_contact alerts resolved (contact_found)" }
        print(summary)
        if !result.errors.isEmpty { throw ExitCode(ExitStatus.badInput) }
    }
}
