/// The AMI `Originate` of one call request (SPEC §9.1): ring `channel` (the manager's
/// phone) and, when it answers, run `context`/`exten` (the number as the PBX dials it),
/// showing `callerID` meanwhile. Made and checked when the request is filed, kept with it,
/// and sent as it is by the daemon.
public struct OriginateAction: Sendable, Equatable {
    public var channel: String
    public var context: String
    public var exten: String
    public var callerID: String
    public var timeoutSeconds: Int

    public init(channel: String, context: String, exten: String, callerID: String, timeoutSeconds: Int) {
        self.channel = channel
        self.context = context
        self.exten = exten
        self.callerID = callerID
        self.timeoutSeconds = timeoutSeconds
    }

    /// The action for calling `number` from `extensionNumber`, or why not. A client's name
    /// is shown, not obeyed: what could end an AMI line or split a dial string is dropped
    /// from it; anything else that could is refused.
    public static func make(_ template: OriginateTemplate, plan: NumberPlan, extensionNumber: String, number: String,
                            clientName: String?) -> Result<OriginateAction, OriginateRefusal> {
        let shownName = String((clientName ?? "").unicodeScalars.filter { !"\r\n&\"<>".unicodeScalars.contains($0) }
            .map(Character.init)).trimmingCharacters(in: .whitespaces)
        let callerID = template.callerID
            .replacingOccurrences(of: "{client_name}", with: shownName.isEmpty ? number : shownName)
            .replacingOccurrences(of: "{number}", with: number)
        let action = OriginateAction(channel: template.channel.replacingOccurrences(of: "{extension}", with: extensionNumber),
                                     context: template.context, exten: plan.dialString(for: number, form: template.dial),
                                     callerID: callerID, timeoutSeconds: template.timeout)
        for (name, value) in [("Channel", action.channel), ("Context", action.context), ("Exten", action.exten),
                              ("CallerID", action.callerID)] where !isSafe(value) {
            return .failure(.unsafe("the \(name) \"\(value.debugDescription.dropFirst().dropLast())\" holds a line break or &"))
        }
        guard action.exten.utf8.allSatisfy({ $0 == UInt8(ascii: "+") || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }),
              action.exten.contains(where: \.isNumber) else {
            return .failure(.unsafe("\(number) is not a number the PBX can dial"))
        }
        return .success(action)
    }

    /// No carriage return, line feed or `&` (Dial's separator of channels) in an AMI value.
    public static func isSafe(_ value: String) -> Bool {
        !value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "&" }
    }

    /// The action's lines, with the request's `ActionID` and the `ChannelId` its CDR will
    /// carry as uniqueid.
    public func fields(actionID: String, channelID: String) -> [(String, String)] {
        [("Action", "Originate"), ("ActionID", actionID), ("Channel", channel), ("Context", context), ("Exten", exten),
         ("Priority", "1"), ("CallerID", callerID), ("Timeout", String(timeoutSeconds * 1000)), ("Async", "true"),
         ("ChannelId", channelID)]
    }
}

/// Why a call request is not filed.
public enum OriginateRefusal: Error, Equatable, CustomStringConvertible {
    case unsafe(String)

    public var description: String {
        switch self {
        case .unsafe(let why): why
        }
    }
}
