import HTTPTypes
import Hummingbird
import Mustache
import RingbackConfig

/// Server-rendered pages (SPEC §8.3): swift-mustache templates compiled in, every value
/// escaped by the template engine, and the headers that keep a hostile caller-ID name or a
/// leaked link harmless on every page.
struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let language: PageLanguage

    init(language: PageLanguage) throws {
        var library = MustacheLibrary()
        for (name, bytes) in [("layout", PackageResources.layout_mustache), ("signin", PackageResources.signin_mustache),
                              ("signinask", PackageResources.signinask_mustache),
                              ("callbackrow", PackageResources.callbackrow_mustache),
                              ("desk", PackageResources.desk_mustache), ("signedout", PackageResources.signedout_mustache),
                              ("callback", PackageResources.callback_mustache), ("call", PackageResources.call_mustache),
                              ("message", PackageResources.message_mustache), ("alerts", PackageResources.alerts_mustache),
                              ("status", PackageResources.status_mustache), ("board", PackageResources.board_mustache),
                              ("wallboard", PackageResources.wallboard_mustache), ("report", PackageResources.report_mustache),
                              ("search", PackageResources.search_mustache)] {
            try library.register(String(decoding: bytes, as: UTF8.self), named: name)
        }
        self.library = library
        self.language = language
    }

    /// Only this origin, no inline script or style, no framing; no referrer, so a sign-in
    /// link in the address bar never reaches another site.
    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy: "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
            + "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff",
        .cacheControl: "no-store",
    ]

    func page(_ template: String, title: String, values: [String: Any] = [:], status: HTTPResponse.Status = .ok,
              headers: HTTPFields = [:]) -> Response {
        let text = PageText.strings(language)
        var context = values
        context["lang"] = language.rawValue
        context["title"] = text[title] ?? title
        context["text"] = text
        let html = library.render(context, withTemplate: template) ?? ""
        var fields = Self.securityHeaders
        fields[.contentType] = "text/html; charset=utf-8"
        fields.append(contentsOf: headers)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The pages' own stylesheet and script, from this origin only.
    static func file(_ bytes: [UInt8], type: String) -> Response {
        var fields = securityHeaders
        fields[.contentType] = type
        fields[.cacheControl] = "max-age=3600"
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
