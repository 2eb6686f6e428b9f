import Foundation
import Hummingbird

/// A JSON request body read into an object with known fields; anything else is 400 (not
/// JSON, not an object, an unknown field, a wrong type), naming the field.
struct RequestBody {
    let fields: [String: Any]

    init(_ request: Request, context: WebRequestContext, allowed: Set<String>) async throws {
        guard let parsed = try await Self.json(request, context: context, emptyAllowed: true) else {
            fields = [:]
            return
        }
        guard let object = parsed as? [String: Any] else { throw APIError(.badRequest, "the body must be a JSON object") }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(.badRequest, "unknown field \(unknown); known: \(allowed.sorted().joined(separator: ", "))", field: unknown)
        }
        fields = object
    }

    /// The body as parsed JSON; an empty body is nil where `emptyAllowed`, else 400.
    static func json(_ request: Request, context: WebRequestContext, emptyAllowed: Bool = false) async throws -> Any? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: context.maxUploadSize)
        } catch {
            throw APIError(.contentTooLarge, "the body is over 1 MiB")
        }
        if buffer.readableBytes == 0 {
            guard emptyAllowed else { throw APIError(.badRequest, "the body is empty; send JSON") }
            return nil
        }
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView), options: [.fragmentsAllowed])
        else { throw APIError(.badRequest, "the body is not JSON") }
        return parsed
    }

    static func json(_ request: Request, context: WebRequestContext) async throws -> Any {
        try await json(request, context: context, emptyAllowed: false)!
    }

    /// A string field that may be absent or null.
    func optionalText(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, is NSNull: return nil
        case let text as String: return text
        default: throw APIError(.badRequest, "\(name) must be a string or null", field: name)
        }
    }

    /// A string field that must be there and not empty.
    func requiredText(_ name: String) throws -> String {
        guard let value = fields[name] else { throw APIError(.badRequest, "\(name) is required", field: name) }
        guard let text = value as? String else { throw APIError(.badRequest, "\(name) must be a string", field: name) }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw APIError(.unprocessableContent, "\(name) must not be empty", field: name)
        }
        return text
    }
}
