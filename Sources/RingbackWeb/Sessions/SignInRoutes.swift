import Foundation
import Hummingbird
import RingbackConfig
import RingbackHooks
import RingbackOperations
import RingbackStore

/// Signing in by one-time link (SPEC §8.2): opening `/signin/TOKEN` only shows a button, so
/// a mail scanner or a link preview that fetches it spends nothing; pressing it spends the
/// link and starts a session.
struct SignInRoutes: Sendable {
    let secrets: SecretsAccess
    let store: StoreAccess
    let web: WebSettings
    let clock: @Sendable () -> Int64
    let pages: PageRenderer
    let mailer: SignInMailer

    /// How long a mailed link lasts: it is asked for by someone at the browser now.
    static let mailedLinkSeconds: Int64 = 3600
    /// SPEC §8.2: at most one mail in 10 minutes per login.
    static let mailInterval: Int64 = 600

    /// The cookie is `Secure` when people reach us by HTTPS (ours, or the proxy's).
    var secureCookie: Bool { web.tls != nil || web.publicURL.hasPrefix("https://") }

    func add(to router: Router<WebRequestContext>) {
        router.get("static/desk.css") { _, _ in PageRenderer.file(PackageResources.desk_css, type: "text/css; charset=utf-8") }
        router.get("static/desk.js") { _, _ in
            PageRenderer.file(PackageResources.desk_js, type: "text/javascript; charset=utf-8")
        }
        router.get("signin") { _, _ in ask(sent: false) }
        router.post("signin") { request, _ in try await mailLink(request) }
        router.get("signin/:token") { _, context in try await show(context) }
        router.post("signin/:token") { _, context in try await redeem(context) }
        router.post("signout") { request, context in try await signOut(request, context) }
    }

    /// `/signin`: a manager types their login and gets a link by mail.
    private func ask(sent: Bool) -> Response {
        pages.page("signinask", title: "signInTitle", values: ["mailed": mailer.isConfigured, "sent": sent])
    }

    /// The same page whether or not the login exists, is active, has an address, or was sent
    /// a link in the last 10 minutes; only a real manager's first request mails anything.
    private func mailLink(_ request: Request) async throws -> Response {
        let login = (try await FormBody(request)["login"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard mailer.isConfigured, !login.isEmpty, let base = web.linkBase else { return ask(sent: mailer.isConfigured) }
        let now = clock()
        let manager = try await store.read { try $0.loadDirectory().managers.first { $0.login == login && $0.active } }
        if let manager, MailMessage.isPlainAddress(manager.email) {
            let token = Secrets.generate(prefix: "")
            if try await secrets.addMailedSignInLink(login: login, sha256: Secrets.sha256(token), now: now,
                                                     expiresAt: now + Self.mailedLinkSeconds, notSince: now - Self.mailInterval) {
                mailer.send(.init(login: login, address: manager.email, link: "\(base)/signin/\(token)"))
            }
        }
        return ask(sent: true)
    }

    private func token(_ context: WebRequestContext) -> String { context.parameters.get("token") ?? "" }

    private func show(_ context: WebRequestContext) async throws -> Response {
        let token = token(context)
        let login = try await secrets.signInLinkLogin(sha256: Secrets.sha256(token), now: clock())
        return pages.page("signin", title: "signInTitle", values: ["valid": login != nil, "token": token],
                          status: login == nil ? .gone : .ok)
    }

    private func redeem(_ context: WebRequestContext) async throws -> Response {
        let now = clock()
        let sessionID = Secrets.generate(prefix: "rbs_")
        let session = NewSession(sha256: Secrets.sha256(sessionID), csrfToken: Secrets.generate(prefix: ""),
                                 expiresAt: now + Int64(web.sessionDays) * 86_400)
        let hash = Secrets.sha256(token(context))
        // The link's login must still be an active manager: one switched off cannot sign in.
        guard let login = try await secrets.signInLinkLogin(sha256: hash, now: now),
              try await store.read({ try $0.loadDirectory().managers.contains { $0.login == login && $0.active } }),
              try await secrets.redeemSignInLink(sha256: hash, session: session, now: now) != nil
        else {
            return pages.page("signin", title: "signInTitle", values: ["valid": false], status: .gone)
        }
        return Response(status: .seeOther, headers: [
            .location: "/", .setCookie: SessionCookie.setting(sessionID, days: web.sessionDays, secure: secureCookie),
        ])
    }

    /// Ends this browser's session; the form carries the session's CSRF token.
    private func signOut(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        let sent = try await FormBody(request)["csrf_token"] ?? ""
        guard let id = request.cookies[SessionCookie.name]?.value,
              let session = try await secrets.session(sha256: Secrets.sha256(id), now: clock()),
              Secrets.equalInConstantTime(sent, session.csrfToken)
        else {
            return pages.page("signedout", title: "signedOutTitle", status: .forbidden)
        }
        try await secrets.endSession(sha256: Secrets.sha256(id))
        return pages.page("signedout", title: "signedOutTitle",
                          headers: [.setCookie: SessionCookie.clearing(secure: secureCookie)])
    }
}
