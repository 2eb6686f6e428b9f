import Hummingbird
import RingbackCore
import RingbackOperations

/// `GET /api/v1/route?number=N[&format=text]` (SPEC §9.2), for the dialplan's `CURL()`:
/// without a key from this machine (never through `trusted_proxy`), with a `read` key from
/// elsewhere. `format=text` answers the bare extension, or an empty body.
struct RouteAnswer {
    let server: WebServer

    func answer(_ request: Request, _ context: WebRequestContext) async throws -> Response {
        if !context.isLoopback {
            let caller = try await KeyAuthentication(secrets: server.secrets).caller(of: request, context)
            guard caller.scope != .contacts else { throw APIError(.forbidden, "the route needs a read or write key") }
        }
        let configuration = server.configuration
        let query = try QueryValues(request, zone: configuration.officeZone, known: ["number", "format", "office"])
        guard let number = query.text("number") else {
            throw APIError(.badRequest, "number is required: the caller's number as the PBX has it", field: "number")
        }
        let format = query.text("format") ?? "json"
        guard ["json", "text"].contains(format) else { throw APIError(.badRequest, "format is json or text", field: "format") }
        let at = try query.at(now: server.clock())
        // Each office's dialplan names its office; one without it is the web desk's own.
        let office = query.text("office") ?? configuration.office
        let owner = try await server.store.read { store in
            try Desk.route(in: store, number: number, plan: configuration.numbers, calendar: configuration.workingCalendar,
                           office: office, at: at)
        }
        if format == "text" {
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: owner?.extensionNumber ?? "")))
        }
        return .json(OutputRenderer(format: .json, zone: configuration.officeZone).jsonObject(Listings.route(owner)))
    }
}
