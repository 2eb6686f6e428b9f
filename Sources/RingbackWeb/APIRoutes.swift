import Hummingbird
import RingbackConfig
import RingbackCore
import RingbackOperations

/// `/api/v1` (SPEC §8.4): each route is another door to an operation of `Desk`, answering
/// with the CLI's JSON, field for field.
struct APIRoutes {
    let store: StoreAccess
    let configuration: RingbackConfiguration
    let clock: @Sendable () -> Int64
    let listings: ListingCache

    var zone: ZoneConverter { configuration.officeZone }
    var renderer: OutputRenderer { OutputRenderer(format: .json, zone: zone) }

    /// Listings: at most 1,000 objects a page (SPEC §8.4).
    static let pageLimit = 1000

    func add(to group: RouterGroup<WebRequestContext>) {
        group.get("callbacks") { request, context in try await callbacks(request, context) }
        group.get("missed") { request, context in try await missed(request, context) }
        group.get("alerts") { request, context in try await alerts(request, context) }
        group.get("report") { request, context in try await report(request, context) }
        group.post("callbacks/:id/resolve") { request, context in try await resolve(request, context) }
        group.post("callbacks/:id/assign") { request, context in try await assign(request, context) }
        group.post("callbacks/:id/later") { request, context in try await later(request, context) }
        group.post("alerts/:id/ack") { request, context in try await acknowledge(request, context) }
        group.post("contacts") { request, context in try await contacts(request, context) }
        group.put("clients/:entry") { request, context in try await putClient(request, context) }
        group.put("managers/:entry") { request, context in try await putManager(request, context) }
        group.post("callbacks/:id/call") { request, context in try await call(request, context) }
    }

    static func id(_ context: WebRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw APIError(.notFound, "no such id: \(context.parameters.get("id") ?? "")")
        }
        return id
    }
}
