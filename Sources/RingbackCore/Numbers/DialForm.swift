/// How the PBX dials a number out (`[originate] dial`, SPEC §9.1): what its outbound routes
/// expect after the outside-line prefix.
public enum DialForm: String, Sendable, CaseIterable {
    /// The trunk prefix and the national number at home (`8 916…`, `0 30…`), the
    /// international prefix and the digits abroad (`810 49…`, `00 7…`).
    case national
    /// `+` and the digits.
    case e164
    /// The international prefix and the digits, at home too.
    case international
}

extension NumberPlan {
    /// What the PBX is asked to dial for `number` (as stored: E.164, or bare digits when no
    /// rule fitted them, which are dialled as they are), with `outside_prefix` first.
    public func dialString(for number: String, form: DialForm) -> String {
        guard number.hasPrefix("+") else { return outsidePrefix + number }
        let digits = number.dropFirst()
        let home = !countryCode.isEmpty && digits.hasPrefix(countryCode)
        let dialled = switch form {
        case .e164: String(number)
        case .international: internationalPrefix + digits
        case .national: home ? trunkPrefix + digits.dropFirst(countryCode.count) : internationalPrefix + digits
        }
        return outsidePrefix + dialled
    }

    /// A number of another country (SPEC §9.1's wangiri guard): E.164 and not ours.
    public func isAbroad(_ number: String) -> Bool {
        number.hasPrefix("+") && !(countryCode.isEmpty || number.dropFirst().hasPrefix(countryCode))
    }
}
