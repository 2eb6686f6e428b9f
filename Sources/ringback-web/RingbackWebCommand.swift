import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RingbackConfig
import RingbackStore
import RingbackSystemd
import RingbackWeb
import ServiceLifecycle

@main
struct RingbackWebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringback-web",
        abstract: "The Ringback web side: the HTTP API for the CRM and monitoring, over the store ringbackd writes.",
        discussion: """
            Listens where [web] listen says (HTTPS with tls_certificate and tls_key). Runs until \
            SIGTERM or SIGINT, finishing the requests in hand. Under systemd (Type=notify) it reports \
            READY=1 once it listens.

            Example: ringback-web --config /etc/ringback/ringback.toml
            """)

    @Option(help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String = RingbackConfiguration.defaultPath

    @Option(help: ArgumentHelp("Store file (default: [store] path of the configuration).", valueName: "path"))
    var db: String?

    func run() async throws {
        let logger = JournalLogHandler.bootstrap(identifier: "ringback-web")
        let configuration: RingbackConfiguration
        do {
            configuration = try ConfigurationParser.load(path: config)
        } catch let error as ConfigurationError {
            logger.critical("configuration refused: \(error)")
            throw ExitCode(1)
        }
        umask(0o007)
        // A mail program that exits without reading its input is its failure, not ours.
        signal(SIGPIPE, SIG_IGN)
        let notifier = SystemdNotifier()
        let application: any ApplicationProtocol
        let webhookDelivery: any Service
        let signInMail: any Service
        let storeChanges: (any Service)?
        do {
            let server = try WebServer(configuration: configuration, store: configuration.storeLocation(db: db),
                                       clock: { Int64(Date().timeIntervalSince1970) }, logger: logger)
            application = try server.application {
                notifier.ready()
                logger.info("listening", metadata: ["address": "\(configuration.web.listen)"])
            }
            webhookDelivery = server.webhookDelivery
            signInMail = server.signInMail
            storeChanges = server.storeChanges
        } catch let error as StoreError {
            logger.critical("cannot open the store: \(error)")
            throw ExitCode(2)
        } catch {
            logger.critical("\(error)")
            throw ExitCode(1)
        }
        let group = ServiceGroup(configuration: .init(
            services: [application, webhookDelivery, signInMail, WatchdogService(notifier: notifier)] + (storeChanges.map { [$0] } ?? []),
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        notifier.stopping()
        logger.info("stopped")
    }
}

/// Pings systemd's watchdog at half its interval while the server runs.
struct WatchdogService: Service {
    let notifier: SystemdNotifier

    func run() async throws {
        guard let interval = notifier.watchdogInterval else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.watchdog()
            try? await Task.sleep(for: interval / 2)
        }
    }
}
