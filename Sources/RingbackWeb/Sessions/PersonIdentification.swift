import Crypto
import HTTPTypes
import Hummingbird
import RingbackConfig
import RingbackOperations
import RingbackStore

/// Who is signed in (SPEC §8.2), for every route: a request from `[web] trusted_proxy`
/// carrying the proxy's secret is the login its `user_header` names; else the session
/// cookie's person. Either must be an active manager of the directory now. It only
/// identifies; the pages and the API decide what an unknown caller gets.
struct PersonIdentification: RouterMiddleware {
    typealias Context = WebRequestContext
    let secrets: SecretsAccess
    let store: StoreAccess
    let proxy: TrustedProxy?
    let clock: @Sendable () -> Int64

    /// The proxy's address and, with `user_header`, its header and secret.
    struct TrustedProxy: Sendable {
        let address: [UInt8]
        let userHeader: HTTPField.Name?
        let secret: String

        init?(_ web: WebSettings) throws {
            guard let address = AddressClass.bytes(of: web.trustedProxy) else { return nil }
            self.address = address
            guard !web.userHeader.isEmpty else { (userHeader, secret) = (nil, ""); return }
            guard let header = HTTPField.Name(web.userHeader) else {
                throw WebStartError("[web] user_header \"\(web.userHeader)\" is not a header name")
            }
            userHeader = header
            secret = try SecretFile.read(web.proxySecretFile, for: "[web] proxy_secret_file")
        }
    }

    static let proxySecretHeader = HTTPField.Name("X-Ringback-Proxy-Secret")!

    func handle(_ request: Request, context: WebRequestContext,
                next: (Request, WebRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        context.throughProxy = proxy != nil && context.peerHost.flatMap(AddressClass.bytes(of:)) == proxy?.address
        context.caller = try await caller(of: request, context)
        return try await next(request, context)
    }

    /// The signed-in person, or nil: asked again by a long-lived stream to end when they are
    /// signed out.
    func caller(of request: Request, _ context: WebRequestContext) async throws -> Caller? {
        if context.throughProxy, let proxy, let header = proxy.userHeader,
           Secrets.equalInConstantTime(request.headers[Self.proxySecretHeader] ?? "", proxy.secret) {
            guard let login = request.headers[header], !login.isEmpty else { return nil }
            return try await person(login: login, csrfToken: proxyCSRFToken(login, secret: proxy.secret), hasSession: false)
        }
        guard let id = request.cookies[SessionCookie.name]?.value,
              let session = try await secrets.session(sha256: Secrets.sha256(id), now: clock()) else { return nil }
        return try await person(login: session.login, csrfToken: session.csrfToken, hasSession: true)
    }

    /// One marked `active = false`, or no longer in the directory, is signed out.
    private func person(login: String, csrfToken: String, hasSession: Bool) async throws -> Caller? {
        guard let manager = try await store.read({ try $0.loadDirectory().managers.first { $0.login == login && $0.active } })
        else { return nil }
        return Caller(name: login, scope: .write,
                      person: Person(managerID: manager.id, isHead: manager.role == .head, csrfToken: csrfToken,
                                     hasSession: hasSession))
    }

    /// A person signed in by the proxy has no session to keep a token in: theirs is derived
    /// from the proxy's secret, so it is the same on every page and unknown to other sites.
    private func proxyCSRFToken(_ login: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array("csrf:\(login)".utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
