import Foundation

/// The FreePBX-shaped calls of `Tests/Fixtures/freepbx`: each file holds one situation's rows
/// in the order Asterisk 20 writes them (21 columns), and gives them in the other shapes the
/// PBX may write: 18 columns (stock `cdr.conf`, no linkedid) and AMI `Cdr` events.
public enum FreePBXFixture {
    public static let names = [
        "queue-answered", "queue-abandoned", "queue-busy-then-answered", "ringgroup-answered", "ringgroup-missed",
        "followme-mobile-answered", "followme-missed", "blind-transfer-answered", "blind-transfer-unanswered",
        "attended-transfer-completed", "attended-transfer-failed", "directed-pickup", "same-number-overlapping",
        "parked-picked-up", "ivr-to-extension", "local-names-reused",
    ]

    /// `Tests/Fixtures/freepbx`.
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/freepbx")

    public enum Columns: String, CaseIterable, Sendable {
        case full = "21"
        case stock = "18"
    }

    /// The rows of one fixture, in the order Asterisk writes them.
    public static func rows(_ name: String, _ columns: Columns) throws -> [String] {
        let url = directory.appendingPathComponent("\(name).csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        switch columns {
        case .full: return lines
        // Without `newcdrcolumns`: peeraccount, linkedid and sequence are not written.
        case .stock: return lines.map { line in line.split(separator: ",", omittingEmptySubsequences: false).dropLast(3)
            .joined(separator: ",") }
        }
    }

    /// The day of all fixtures, in the order Asterisk writes the rows.
    public static func day(_ columns: Columns) throws -> [String] { try names.flatMap { try rows($0, columns) } }

    /// The same CDR as `cdr_manager` sends it (with `linkedid => LinkedID` and
    /// `sequence => Sequence` mapped when the CSV has them).
    public static func amiEvent(_ row: String) -> String {
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
    public static func csvFields(_ row: String) -> [String] {
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
