import Hummingbird
import Logging

/// An error no route turned into an answer is a defect: it is logged (its description,
/// never the request's headers or body) and answered 500 with a plain sentence. A known
/// path asked with another method is 405 with the methods it takes.
struct ErrorLogging: RouterMiddleware {
    typealias Context = WebRequestContext
    let logger: Logger

    func handle(_ request: Request, context: WebRequestContext,
                next: (Request, WebRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = KnownPaths.methods(of: request.uri.path), !methods.contains(request.method) else { throw error }
            var refusal = try APIError(.methodNotAllowed, "\(request.uri.path) takes \(methods.map(\.rawValue).joined(separator: ", "))")
                .response(from: request, context: context)
            refusal.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
            return refusal
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error("request failed: \(error)", metadata: ["path": "\(KnownPaths.loggable(request.uri.path))"])
            throw APIError(.internalServerError, "the server could not answer; the log of ringback-web says why")
        }
    }
}
