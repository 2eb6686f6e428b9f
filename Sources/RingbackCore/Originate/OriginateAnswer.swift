/// What the PBX said about a call request's Originate (SPEC §9.1), read from one AMI
/// message carrying the request's `ActionID`: first the action's own `Response` (queued in
/// the PBX, or refused: no permission, a bad channel), then `Event: OriginateResponse` once
/// the manager's phone answered or did not; and the `DialEnd` of the originated channel
/// (its `Uniqueid` is the request's channel id) once the number answered or did not.
public enum OriginateAnswer: Sendable, Equatable {
    case accepted(requestID: Int64)
    case refused(requestID: Int64, reason: String)
    case connected(requestID: Int64)
    case failed(requestID: Int64, reason: String)
    /// The originated channel's Dial to the number ended: `ANSWER` when the client picked up.
    case dialEnded(requestID: Int64, status: String)

    static let actionPrefix = "ringback-call-"

    public init?(_ message: AMIMessage) {
        if message["Event"]?.lowercased() == "dialend", let channel = message["Uniqueid"],
           let id = OriginatedCall.requestID(ofChannel: channel) {
            self = .dialEnded(requestID: id, status: (message["DialStatus"] ?? "").uppercased())
            return
        }
        guard let actionID = message["ActionID"], actionID.hasPrefix(Self.actionPrefix),
              let id = Int64(actionID.dropFirst(Self.actionPrefix.count)) else { return nil }
        let succeeded = message["Response"]?.lowercased() == "success"
        if message["Event"]?.lowercased() == "originateresponse" {
            self = succeeded ? .connected(requestID: id) : .failed(requestID: id, reason: Self.reason(message["Reason"]))
        } else if message["Response"] != nil {
            self = succeeded ? .accepted(requestID: id)
                : .refused(requestID: id, reason: "the PBX refused the Originate: \(message["Message"] ?? "no reason given")")
        } else {
            return nil
        }
    }

    /// Asterisk's `Reason` of a failed originate: the control frame the manager's channel
    /// ended on (0: it could not be created or reached).
    static func reason(_ code: String?) -> String {
        switch code {
        case "1": "the phone hung up"
        case "3": "the phone rang out: nobody answered"
        case "5": "the phone was busy"
        case "8": "congestion: no channel to the phone"
        case "0", nil, "": "the phone could not be reached (unavailable, or no such extension)"
        case let other?: "the PBX gave reason \(other)"
        }
    }
}
