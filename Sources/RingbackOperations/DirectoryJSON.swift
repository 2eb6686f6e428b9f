import Foundation
import RingbackCore

/// `PUT /api/v1/clients/ID` and `PUT /api/v1/managers/ID` (SPEC §8.4): one entry of the
/// directory as JSON, with the fields of its file (§1.4) and lists as arrays.
public enum DirectoryJSON {
    public static func client(_ object: [String: Any], id: String, numbers: NumberPlan) throws(BodyProblem) -> Client {
        let fields = Fields(object, allowed: ["name", "abc", "phones", "manager_id"])
        try fields.check()
        let abcText = try fields.text("abc")?.uppercased()
        guard abcText == nil || ABCGroup(rawValue: abcText!) != nil else {
            throw BodyProblem(isShape: false, field: "abc", reason: "abc \"\(abcText!)\" is not A, B, C or null")
        }
        let phones = try fields.texts("phones")
        let normalized = phones.compactMap(numbers.normalize)
        guard normalized.count == phones.count else {
            throw BodyProblem(isShape: false, field: "phones", reason: "a phone without a digit is no number")
        }
        return Client(id: id, name: try fields.text("name") ?? "", abc: abcText.flatMap(ABCGroup.init(rawValue:)),
                      phones: normalized, managerID: try fields.text("manager_id"))
    }

    /// `away_until`: the last day away (a date in `zone`), or null.
    public static func manager(_ object: [String: Any], id: String, numbers: NumberPlan,
                               zone: ZoneConverter) throws(BodyProblem) -> Manager {
        let fields = Fields(object, allowed: ["name", "extensions", "login", "email", "role", "mobiles", "away_until", "active"])
        try fields.check()
        let awayUntil: Int64?
        if let date = try fields.text("away_until") {
            guard let end = DirectoryCSV.awayEnd(date, zone: zone) else {
                throw BodyProblem(isShape: false, field: "away_until", reason: "away_until \"\(date)\" is not a date like 2026-12-14")
            }
            awayUntil = end
        } else {
            awayUntil = nil
        }
        let active: Bool
        switch object["active"] {
        case nil, is NSNull: active = true
        // JSON's true or false only: Foundation would read 0 and 1 as Booleans too.
        case let flag as NSNumber where String(cString: flag.objCType) == "c": active = flag.boolValue
        default: throw BodyProblem(isShape: true, field: "active", reason: "active must be true, false or null")
        }
        let roleText = try fields.text("role") ?? "manager"
        guard let role = Manager.Role(rawValue: roleText) else {
            throw BodyProblem(isShape: false, field: "role", reason: "role \"\(roleText)\" is neither manager nor head")
        }
        let mobiles = try fields.texts("mobiles")
        return Manager(id: id, name: try fields.text("name") ?? "", extensions: try fields.texts("extensions"),
                       login: try fields.text("login") ?? "", email: try fields.text("email") ?? "", role: role,
                       mobiles: mobiles.compactMap(numbers.normalize), active: active, awayUntil: awayUntil)
    }

    /// An object's fields, each of the type asked for.
    private struct Fields {
        let object: [String: Any]
        let allowed: Set<String>

        init(_ object: [String: Any], allowed: Set<String>) {
            self.object = object
            self.allowed = allowed
        }

        func check() throws(BodyProblem) {
            if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw BodyProblem(isShape: true, field: unknown,
                                           reason: "unknown field \(unknown); known: \(allowed.sorted().joined(separator: ", "))")
            }
        }

        func text(_ name: String) throws(BodyProblem) -> String? {
            switch object[name] {
            case nil, is NSNull: return nil
            case let value as String: return value.isEmpty ? nil : value
            default: throw BodyProblem(isShape: true, field: name, reason: "\(name) must be a string or null")
            }
        }

        func texts(_ name: String) throws(BodyProblem) -> [String] {
            switch object[name] {
            case nil, is NSNull: return []
            case let values as [Any]:
                return try values.enumerated().map { (index, value) throws(BodyProblem) -> String in
                    guard let text = value as? String else {
                        throw BodyProblem(isShape: true, field: "\(name)[\(index)]", reason: "\(name) holds strings")
                    }
                    return text
                }
            default: throw BodyProblem(isShape: true, field: name, reason: "\(name) must be an array of strings")
            }
        }
    }
}
