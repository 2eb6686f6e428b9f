import Foundation
import RingbackTestSupport

/// What a person sees of a store, by natural keys (call keys, numbers, times), not row ids:
/// the JSON of `missed`, `pending` and `alerts` without their ids.
struct StoreAnswers: Equatable, CustomStringConvertible {
    var missed: [String]
    var pending: [String]
    var alerts: [String]

    init(_ harness: RingbackHarness) throws {
        func lines(_ arguments: [String], dropping ids: Set<String>) throws -> [String] {
            try harness.json(arguments).map { object in
                object.keys.filter { !ids.contains($0) }.sorted().map { "\($0)=\(object[$0] ?? "")" }.joined(separator: " ")
            }.sorted()
        }
        missed = try lines(["missed", "--since", "2026-03-01", "--until", "2026-04-01"], dropping: ["callback_id"])
        pending = try lines(["pending"], dropping: ["callback_id"])
        alerts = try lines(["alerts"], dropping: ["alert_id", "callback_id"])
    }

    var description: String {
        (["missed:"] + missed + ["pending:"] + pending + ["alerts:"] + alerts).joined(separator: "\n")
    }
}
