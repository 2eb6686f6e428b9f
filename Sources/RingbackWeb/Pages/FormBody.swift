import Foundation
import Hummingbird

/// An HTML form's fields (`application/x-www-form-urlencoded`), at most 64 KiB of them.
struct FormBody {
    let fields: [String: String]

    init(_ request: Request) async throws {
        let body = try await request.body.collect(upTo: 64 * 1024)
        var components = URLComponents()
        // A form writes spaces as `+`; URLComponents reads only `%20`.
        components.percentEncodedQuery = String(buffer: body).replacingOccurrences(of: "+", with: "%20")
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil { fields[item.name] = item.value ?? "" }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }
}
