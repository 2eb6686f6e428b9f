import Logging
import RingbackConfig
import RingbackHooks
import ServiceLifecycle

/// Mails the links asked for on `/signin` (SPEC §8.2) through `[report] command`, one at a
/// time, apart from the request: the page answers at once and the same whether or not a
/// mail goes out, so neither its words nor its speed tell which logins exist. The log
/// names the login, never the link.
struct SignInMailer: Service {
    struct Mail: Sendable {
        var login: String
        var address: String
        var link: String
    }

    let program: HookProgram?
    let language: PageLanguage
    let logger: Logger
    private let mails: AsyncStream<Mail>
    private let continuation: AsyncStream<Mail>.Continuation

    init(_ report: RingbackConfiguration.ReportSettings, language: PageLanguage, logger: Logger) {
        program = HookCommandLine.words(report.command).map { HookProgram(command: $0, timeout: .seconds(30)) }
        self.language = language
        self.logger = logger
        // A burst beyond this (the requests are limited per login, not overall) is dropped.
        (mails, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingOldest(100))
    }

    /// Whether links go out by mail here at all: `/signin` says so when they do not.
    var isConfigured: Bool { program != nil }

    func send(_ mail: Mail) { continuation.yield(mail) }

    func run() async throws {
        guard let program else {
            try? await gracefulShutdown()
            return
        }
        let text = PageText.strings(language)
        for await mail in mails.cancelOnGracefulShutdown() {
            let body = PageText.format(text["mailBody"] ?? "", mail.link)
            let message = MailMessage.compose(to: mail.address, subject: text["mailSubject"] ?? "", contentType: "text/plain",
                                              body: body)
            switch await program.deliver(message) {
            case .delivered: logger.info("sign-in link mailed", metadata: ["login": "\(mail.login)"])
            case .failed(let why): logger.warning("sign-in link not mailed: [report] command \(why)", metadata: ["login": "\(mail.login)"])
            }
        }
    }
}
