import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import RingbackConfig
import RingbackCore
import RingbackStore
import ServiceLifecycle

/// `ringback-web` (SPEC §8): the HTTP API over the store, `/healthz`, the OpenAPI document.
/// Built from the configuration; run as a service of the program's group.
public struct WebServer: Sendable {
    let configuration: RingbackConfiguration
    let store: StoreAccess
    let secrets: SecretsAccess
    let clock: @Sendable () -> Int64
    let logger: Logger
    private let webhooks: [WebhookService.Webhook]
    private let pages: PageRenderer
    private let identification: PersonIdentification
    private let mailer: SignInMailer

    /// Opens the store (read-only and for short writes; it must exist: the daemon makes it)
    /// and the secrets file.
    public init(configuration: RingbackConfiguration, store location: StoreLocation, clock: @escaping @Sendable () -> Int64,
                logger: Logger) throws {
        self.configuration = configuration
        store = try StoreAccess(location, office: configuration.office, webhooks: configuration.webhookRouting, clock: clock)
        secrets = try SecretsAccess(path: configuration.web.secretsPath)
        webhooks = try WebhookService.loadSecrets(configuration.webhooks)
        pages = try PageRenderer(language: configuration.web.language)
        mailer = SignInMailer(configuration.report, language: configuration.web.language, logger: logger)
        identification = PersonIdentification(secrets: secrets, store: store,
                                              proxy: try .init(configuration.web), clock: clock)
        self.clock = clock
        self.logger = logger
    }

    /// The application: `onRunning` is called once the socket listens (READY=1 under systemd).
    public func application(onRunning: @escaping @Sendable () async -> Void) throws -> some ApplicationProtocol {
        let router = Router(context: WebRequestContext.self)
        router.add(middleware: ErrorLogging(logger: logger))
        router.add(middleware: identification)
        router.get("healthz") { _, _ in try await health() }
        router.get("metrics") { request, context in try await metrics(request, context) }
        router.get("api/v1/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
        SignInRoutes(secrets: secrets, store: store, web: configuration.web, clock: clock, pages: pages, mailer: mailer)
            .add(to: router)
        DeskRoutes(secrets: secrets, store: store, identification: identification, configuration: configuration,
                   clock: clock, pages: pages).add(to: router)
        // The dialplan asks without a key from this machine; outside the key group.
        router.get("api/v1/route") { request, context in try await RouteAnswer(server: self).answer(request, context) }
        let api = router.group("api/v1").add(middleware: KeyAuthentication(secrets: secrets))
        APIRoutes(store: store, configuration: configuration, clock: clock, listings: ListingCache()).add(to: api)

        let address: BindAddress = switch configuration.web.listen {
        case .tcp(let host, let port): .hostname(host, port: port)
        case .unix(let path): .unixDomainSocket(path: path)
        }
        let server: HTTPServerBuilder = if let tls = configuration.web.tls {
            try .tls(.http1(), tlsConfiguration: try Self.tlsConfiguration(certificate: tls.certificate, key: tls.key))
        } else {
            .http1()
        }
        return Application(router: router, server: server,
                           configuration: .init(address: address, serverName: "ringback-web"),
                           onServerRunning: { _ in await onRunning() }, logger: logger)
    }

    /// Mails the links asked for on `/signin` while the server runs.
    public var signInMail: some Service { mailer }

    /// Hears the store's commits for the live pages, on PostgreSQL; nil on SQLite.
    public var storeChanges: (any Service)? { store.listener.map(ChangeListening.init) }

    /// Delivers the webhook outbox while the server runs.
    public var webhookDelivery: some Service {
        WebhookService(webhooks: webhooks, store: store, zone: configuration.officeZone, clock: clock, logger: logger)
    }

    /// 200 `{"status": "ok"}` when the store opens and every source is healthy, else 503
    /// with the reasons (SPEC §8.5).
    private func health() async throws -> Response {
        let now = clock()
        let problems: [String]
        do {
            problems = try await store.read { store in
                try store.sourceStatuses().compactMap { source in
                    let state = source.state(at: now)
                    return state.isHealthy ? nil : "\(source.name): \(state.rawValue)\(source.lastError.map { ", \($0)" } ?? "")"
                }
            }
        } catch {
            problems = ["the store cannot be read"]
        }
        guard problems.isEmpty else {
            let reasons = problems.map(JSONValue.quoted).joined(separator: ", ")
            return .json("{\"status\": \"failing\", \"reasons\": [\(reasons)]}\n", status: .serviceUnavailable)
        }
        return .json("{\"status\": \"ok\"}\n")
    }

    /// Without a key from this machine, with a `read` key from elsewhere (SPEC §8.5).
    private func metrics(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        if !context.isLoopback {
            let caller = try await KeyAuthentication(secrets: secrets).caller(of: request, context)
            guard caller.scope != .contacts, caller.person?.isHead ?? true else {
                throw APIError(.forbidden, "metrics need a read or write key")
            }
        }
        let now = clock()
        let snapshot = try await store.read { store in
            MetricsPage.Snapshot(sources: try store.sourceStatuses(), counts: try store.metricCounts(at: now),
                                 hooks: try store.hookDeliveryCounts(), webhooks: try store.webhookDeliveryCounts(),
                                 heartbeat: try store.daemonHeartbeat())
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: MetricsPage.render(snapshot, now: now))))
    }

    /// The PEM files of `[web] tls_certificate` and `tls_key`; an unreadable one stops the start.
    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(certificate).map { NIOSSLCertificateSource.certificate($0) }
            let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
            return TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey))
        } catch {
            throw WebStartError("[web] tls_certificate \(certificate) or tls_key \(key) cannot be read as PEM: \(error)")
        }
    }
}

/// Why `ringback-web` does not start, for the journal.
public struct WebStartError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
