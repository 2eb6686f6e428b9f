import Hummingbird
import Logging

/// An error no route turned into an answer is a defect: it is logged (its description,
/// never the request's headers or body) and answered 500 with a plain sentence.
struct ErrorLogging: RouterMiddleware {
    typealias Context = WebRequestContext
    let logger: Logger

    func handle(_ request: Request, context: WebRequestContext,
                next: (Request, WebRequestContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            logger.error("request failed: \(error)", metadata: ["path": "\(request.uri.path)"])
            throw APIError(.internalServerError, "the server could not answer; the log of ringback-web says why")
        }
    }
}
