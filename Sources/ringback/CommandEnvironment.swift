import ArgumentParser
import Foundation
import RingbackConfig
import RingbackCore
import RingbackIngest
import RingbackOperations
import RingbackStore

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @OptionGroup var store: StoreOptions

    @Option(name: .long, help: ArgumentHelp("Output: table, json or csv.", valueName: "format"))
    var format: OutputFormat = .table
}

/// Which configuration and store, and the evaluation time.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Store file (default: [store] path of the configuration).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "Answer as if now were TIME, e.g. \"2026-03-10 12:00\" (without an offset: the [calendar] time zone).",
        valueName: "time"))
    var at: String?
}

extension OutputFormat: ExpressibleByArgument {}

/// Exit statuses of SPEC §6.
enum ExitStatus {
    static let badInput: Int32 = 1
    static let storeUnavailable: Int32 = 2
    static let sourceUnhealthy: Int32 = 3
}

/// A failure to report to the user with its exit status, without a stack trace.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var status: Int32
    var description: String { message }
}

/// What a command needs: configuration, store, evaluation time, output.
struct CommandEnvironment {
    let configuration: RingbackConfiguration
    let zone: ZoneConverter
    let now: Int64
    let at: Int64
    let renderer: OutputRenderer
    let storeLocation: StoreLocation

    init(_ options: CommonOptions) throws {
        try self.init(options.store, format: options.format)
    }

    init(_ options: StoreOptions, format: OutputFormat) throws {
        do {
            if let path = options.config {
                configuration = try ConfigurationParser.load(path: path)
            } else if FileManager.default.fileExists(atPath: RingbackConfiguration.defaultPath) {
                configuration = try ConfigurationParser.load(path: RingbackConfiguration.defaultPath)
            } else {
                configuration = try ConfigurationParser.parse("", file: "(built-in defaults)")
            }
        } catch let error as ConfigurationError where error.isAccessDenied {
            // Without the configuration there is no store to open either: the same status.
            throw CommandFailure(message: "\(error)", status: ExitStatus.storeUnavailable)
        } catch let error as ConfigurationError {
            throw CommandFailure(message: "configuration refused: \(error)", status: ExitStatus.badInput)
        }
        zone = configuration.officeZone
        now = RingbackClock.system.wallSeconds()
        if let text = options.at {
            guard let instant = TimeParsing.instant(text, zone: zone) else {
                throw CommandFailure(message: "--at \"\(text)\" is not a time; write e.g. 2026-03-10T12:00 or \"2026-03-10 12:00:00+03:00\"",
                                     status: ExitStatus.badInput)
            }
            at = instant
        } else {
            at = now
        }
        renderer = OutputRenderer(format: format, zone: zone)
        storeLocation = configuration.storeLocation(db: options.db)
    }

    /// For listings, status and the report: a read-only connection that never migrates.
    func openReader() throws -> any StoreReading { try openStore(.read) }

    /// For a short change (ack, resolve, assign, purge) to a store of this build's schema.
    func openWriter() throws -> any StoreWriting { try openStore(.write) }

    /// For the commands that load data (ingest, import, quarantine --retry, rejudge): the
    /// store is brought up to date, and created when `create`.
    func openLoader(create: Bool = false) throws -> any IngestStore { try openStore(.migrate, create: create) }

    /// The configured store, or the one at `location`.
    func openStore(_ access: Store.Access, create: Bool = false, at location: StoreLocation? = nil) throws -> Store {
        let storeLocation = location ?? storeLocation
        do {
            if create, case .file(let storePath) = storeLocation {
                let directory = (storePath as NSString).deletingLastPathComponent
                if !directory.isEmpty { try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            }
            let store = try Store(storeLocation, create: create, access: access)
            store.office = configuration.office
            store.fileWebhookEvents(configuration.webhookRouting, clock: RingbackClock.system.wallSeconds)
            return store
        } catch let error as StoreError {
            throw CommandFailure(message: error.message, status: ExitStatus.storeUnavailable)
        }
    }

    func parseTime(_ text: String, option: String) throws -> Int64 {
        guard let instant = TimeParsing.instant(text, zone: zone) else {
            throw CommandFailure(message: "\(option) \"\(text)\" is not a time or date", status: ExitStatus.badInput)
        }
        return instant
    }

    func write(_ records: [OutputRecord], columns: [String], empty: String) {
        FileHandle.standardOutput.write(Data(renderer.render(records, columns: columns, emptyMessage: empty).utf8))
    }

    /// The login of the person running the command.
    static var login: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "unknown"
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
