import ArgumentParser
import Foundation
import Logging
import RingbackConfig
import RingbackHooks
import RingbackIngest
import RingbackSystemd
import ServiceLifecycle

@main
struct Ringbackd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringbackd",
        abstract: "The Ringback daemon: reads CDRs from the PBX, keeps callbacks and alerts in the store.",
        discussion: """
            Runs until SIGTERM or SIGINT, then finishes the batch in hand and exits 0. Under systemd \
            (Type=notify) it reports READY=1 once its sources are open.

            Example: ringbackd --config /etc/ringback/ringback.toml
            """)

    @Option(help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String = RingbackConfiguration.defaultPath

    @Option(help: ArgumentHelp("Store file (default: [store] path of the configuration).", valueName: "path"))
    var db: String?

    func run() async throws {
        // Under systemd, entries go to the journal with their fields (source, file, line).
        let logger = JournalLogHandler.bootstrap(identifier: "ringbackd")
        // A hook program that exits without reading its standard input must not kill us.
        signal(SIGPIPE, SIG_IGN)
        let configuration: RingbackConfiguration
        do {
            configuration = try ConfigurationParser.load(path: config)
        } catch let error as ConfigurationError {
            logger.critical("configuration refused: \(error)")
            throw ExitCode(1)
        }
        // The store and its directory are for the service user and the ringback group only.
        umask(0o007)
        let location = configuration.storeLocation(db: db)
        if case .file(let path) = location {
            let storeDirectory = (path as NSString).deletingLastPathComponent
            if !storeDirectory.isEmpty {
                try? FileManager.default.createDirectory(atPath: storeDirectory, withIntermediateDirectories: true)
            }
        }
        // The one clock of every service: wall time for alerts and status, monotonic for waits.
        let clock = RingbackClock.system
        let writer: StoreWriter
        do {
            writer = try StoreWriter(store: location, configuration: configuration, clock: clock)
        } catch {
            logger.critical("cannot open the store: \(error)")
            throw ExitCode(2)
        }

        var services: [any Service] = []
        for source in configuration.sources {
            switch source.kind {
            case .spool:
                let context = SourceContext(source, configuration: configuration)
                do {
                    _ = try context.makeDecoder()
                } catch {
                    logger.critical("source \(source.name): \(error)")
                    throw ExitCode(1)
                }
                services.append(SpoolSource(configuration: source, context: context, sink: writer, logger: logger))
            case .ami:
                let settings: AMISettings
                do {
                    settings = try AMISettings(source)
                } catch {
                    logger.critical("\(error)")
                    throw ExitCode(1)
                }
                let context = SourceContext(source, configuration: configuration)
                // The link `[originate] ami` names also sends the call requests (SPEC §9.1).
                let calls: (any CallRequestQueue)? = configuration.originate?.ami == source.name ? writer : nil
                services.append(AMISource(settings: settings, context: context, sink: writer, calls: calls, clock: clock,
                                          logger: logger))
            case .socket:
                let address = source.listen
                let passed: Int32? = switch address {
                case .unix(let path): SocketActivation.descriptor(unixPath: path)
                case .tcp(_, let port): SocketActivation.descriptor(tcpPort: port)
                }
                let context = SourceContext(source, configuration: configuration)
                services.append(SocketSource(address: address, passedDescriptor: passed, context: context, sink: writer,
                                             logger: logger))
            case .command:
                break  // never configured: the parser refuses it
            }
        }
        if !configuration.hooks.onAlert.isEmpty {
            guard let command = HookCommandLine.words(configuration.hooks.onAlert),
                  FileManager.default.isExecutableFile(atPath: command[0]) else {
                logger.critical("[hooks] on_alert: \"\(configuration.hooks.onAlert)\" does not start with an executable file (give its absolute path; there is no shell)")
                throw ExitCode(1)
            }
            services.append(HookService(writer: writer, clock: clock,
                                        hook: HookProgram(command: command, timeout: .seconds(configuration.hooks.timeout)),
                                        maxAge: Int64(configuration.hooks.maxAge) * 60, zone: configuration.officeZone,
                                        logger: logger))
        }
        if let directory = configuration.directoryPath {
            var watcher = DirectoryDropWatcher(path: directory, sink: writer, logger: logger)
            // The directory first: CDRs read before the managers and clients would meet an
            // empty directory and open unassigned callbacks.
            await watcher.importChanged(&watcher.alreadyImported)
            services.append(watcher)
        }
        let notifier = SystemdNotifier()
        // A group stops its services in reverse order: the sweep, first here, stops last and
        // completes what the sources handed it.
        services.insert(SweepService(writer: writer, notifier: notifier, logger: logger,
                                     sourceCount: configuration.sources.count,
                                     settle: .milliseconds(max(10, configuration.calls.settleMilliseconds)), clock: clock),
                        at: 0)
        let group = ServiceGroup(configuration: .init(
            services: services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.info("started", metadata: ["store": "\(location)", "sources": "\(configuration.sources.count)"])
        try await group.run()
        notifier.stopping()
        logger.info("stopped")
    }
}
