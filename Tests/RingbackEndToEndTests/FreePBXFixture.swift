import Foundation

/// The FreePBX-shaped calls of `Tests/Fixtures/freepbx`: each file holds one situation's rows
/// in the order Asterisk 20 writes them (21 columns), and gives them in the other shapes the
/// PBX may write: 18 columns (stock `cdr.conf`, no linkedid) and AMI `Cdr` events.
enum FreePBXFixture {
    static let names = [
        "queue-answered", "queue-abandoned", "queue-busy-then-answered", "ringgroup-answered", "ringgroup-missed",
        "followme-mobile-answered", "followme-missed", "blind-transfer-answered", "blind-transfer-unanswered",
        "attended-transfer-completed", "attended-transfer-failed", "directed-pickup", "same-number-overlapping",
        "parked-picked-up", "ivr-to-extension", "local-names-reused",
    ]

    enum Columns: String, CaseIterable {
        case full = "21"
        case stock = "18"
    }

    /// The rows of one fixture, in the order Asterisk writes them.
    static func rows(_ name: String, _ columns: Columns) throws -> [String] {
        let url = RingbackHarness.fixtures.appendingPathComponent("freepbx/\(name).csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        switch columns {
        case .full: return lines
        // Without `newcdrcolumns`: peeraccount, linkedid and sequence are not written.
        case .stock: return lines.map { line in line.split(separator: ",", omittingEmptySubsequences: false).dropLast(3)
            .joined(separator: ",") }
        }
    }

    /// The day of all fixtures, in the order Asterisk writes the rows.
    static func day(_ columns: Columns) throws -> [String] { try names.flatMap { try rows($0, columns) } }

    /// The same CDR as `cdr_manager` sends it (with `linkedid => LinkedID` and
    /// `sequence => Sequence` mapped when the CSV has them).
    static func amiEvent(_ row: String) -> String {
        let fields = csvFields(row)
        var names = ["AccountCode", "Source", "Destination", "DestinationContext", "CallerID", "Channel",
                     "DestinationChannel", "LastApplication", "LastData", "StartTime", "AnswerTime", "EndTime", "Duration",
                     "BillableSeconds", "Disposition", "AMAFlags", "UniqueID", "UserField"]
        if fields.count == 21 { names += ["PeerAccount", "LinkedID", "Sequence"] }
        var event = "Event: Cdr\r\nPrivilege: cdr,all\r\n"
        for (name, value) in zip(names, fields) { event += "\(name): \(value)\r\n" }
        return event + "\r\n"
    }

    /// The fields of one `cdr_csv` row: quoted with `""` inside, or bare.
    static func csvFields(_ row: String) -> [String] {
        var fields: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(row)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}

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
