import Foundation
import RingbackCore

/// `POST /api/v1/contacts` (SPEC §8.4): one contact object or an array of them, with the
/// fields of the contacts file (§1.4) and `created_at` in ISO 8601. All or nothing: the
/// first element that does not fit refuses the whole request, naming where it is.
public enum ContactsJSON {
    static let fields: Set<String> = ["contact_id", "created_at", "manager_id", "client_id", "phone", "kind", "note"]

    public static func contacts(_ body: Any, numbers: NumberPlan, zone: ZoneConverter) throws(BodyProblem) -> [Contact] {
        if let one = body as? [String: Any] { return [try contact(one, at: "", numbers: numbers, zone: zone)] }
        guard let many = body as? [Any] else {
            throw BodyProblem(isShape: true, field: nil, reason: "the body must be a contact object or an array of them")
        }
        var contacts: [Contact] = []
        for (index, element) in many.enumerated() {
            guard let object = element as? [String: Any] else {
                throw BodyProblem(isShape: true, field: "[\(index)]", reason: "element \(index) is not an object")
            }
            contacts.append(try contact(object, at: "[\(index)].", numbers: numbers, zone: zone))
        }
        return contacts
    }

    private static func contact(_ object: [String: Any], at path: String, numbers: NumberPlan,
                                zone: ZoneConverter) throws(BodyProblem) -> Contact {
        if let unknown = object.keys.sorted().first(where: { !fields.contains($0) }) {
            throw BodyProblem(isShape: true, field: path + unknown,
                          reason: "unknown field \(unknown); known: \(fields.sorted().joined(separator: ", "))")
        }
        func text(_ name: String) throws(BodyProblem) -> String? {
            switch object[name] {
            case nil, is NSNull: return nil
            case let value as String: return value.isEmpty ? nil : value
            default: throw BodyProblem(isShape: true, field: path + name, reason: "\(name) must be a string or null")
            }
        }
        guard let id = try text("contact_id") else {
            throw BodyProblem(isShape: false, field: path + "contact_id", reason: "contact_id is required")
        }
        guard let createdText = try text("created_at") else {
            throw BodyProblem(isShape: false, field: path + "created_at", reason: "created_at is required")
        }
        guard let created = TimeParsing.instant(createdText, zone: zone) else {
            throw BodyProblem(isShape: false, field: path + "created_at",
                          reason: "created_at \"\(createdText)\" is not a time like 2026-03-10T09:15:00+03:00")
        }
        let phone = try text("phone").flatMap(numbers.normalize)
        let clientID = try text("client_id")
        guard clientID != nil || phone != nil else {
            throw BodyProblem(isShape: false, field: path + "client_id", reason: "neither client_id nor phone says who the contact was with")
        }
        return Contact(id: id, createdAt: created, managerID: try text("manager_id"), clientID: clientID, phone: phone,
                       kind: try text("kind") ?? "", note: try text("note") ?? "")
    }
}
