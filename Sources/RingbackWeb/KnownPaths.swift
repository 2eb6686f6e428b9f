import HTTPTypes

/// The paths the server answers and the methods each takes: another method on a known
/// path is 405 with `Allow`, not 404 (the path exists).
enum KnownPaths {
    private static let templates: [(parts: [String], methods: [HTTPRequest.Method])] = [
        ("healthz", [.get]), ("metrics", [.get]), ("api/v1/openapi.yaml", [.get]),
        ("api/v1/callbacks", [.get]), ("api/v1/missed", [.get]), ("api/v1/alerts", [.get]), ("api/v1/report", [.get]),
        ("api/v1/route", [.get]), ("api/v1/contacts", [.post]),
        ("api/v1/callbacks/*/resolve", [.post]), ("api/v1/callbacks/*/assign", [.post]), ("api/v1/callbacks/*/call", [.post]),
        ("api/v1/callbacks/*/later", [.post]),
        ("api/v1/alerts/*/ack", [.post]), ("api/v1/clients/*", [.put]), ("api/v1/managers/*", [.put]),
    ].map { (path, methods) in (path.split(separator: "/").map(String.init), methods) }

    /// The methods `path` takes, nil when no route has it.
    static func methods(of path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/").map(String.init)
        return templates.first { template in
            template.parts.count == parts.count && zip(template.parts, parts).allSatisfy { $0 == "*" || $0 == $1 }
        }?.methods
    }

    /// `path` as a log may show it: the token of a sign-in or wallboard link left out.
    static func loggable(_ path: String) -> String {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 2, ["signin", "wallboard"].contains(parts[1]) { parts[2] = "…" }
        return parts.joined(separator: "/")
    }
}
