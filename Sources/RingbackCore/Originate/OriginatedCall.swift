/// A call Ringback asked the PBX to place (SPEC §9.1): the manager's phone rang first, so
/// `billsec` counts from the manager's pickup and includes the client's ringing. Its talk
/// counts from the client's answer (the `DialEnd` with `DialStatus: ANSWER` on the
/// originated channel) to its end; without that answer the client was not reached.
public enum OriginatedCall {
    /// The prefix of the `ChannelId` a call request gives the manager's channel: its CDR
    /// carries it as uniqueid.
    public static let channelPrefix = "ringback-"

    /// The request id in a channel id `ringback-<requested_at>.<request_id>`.
    public static func requestID(ofChannel channelID: String) -> Int64? {
        guard channelID.hasPrefix(channelPrefix), let dot = channelID.lastIndex(of: ".") else { return nil }
        return Int64(channelID[channelID.index(after: dot)...])
    }

    /// The channel id among the call's rows, when Ringback originated it: a row's uniqueid
    /// or linkedid (the other half of a `Local/` channel is `<channel id>;2`).
    public static func channelID(in legs: [CallLeg]) -> String? {
        for leg in legs {
            for id in [leg.uniqueID, leg.linkedID] {
                if let id, requestID(ofChannel: id) != nil { return id }
            }
        }
        return nil
    }

    /// What the store holds of the request that made a call.
    public struct Request: Sendable, Equatable {
        public var number: String
        public var extensionNumber: String
        public var managerID: String
        /// False: the manager's phone never answered (the Originate failed and no `DialEnd`
        /// came), so the PBX never dialled the number.
        public var numberDialled: Bool
        /// When the client answered; nil: never.
        public var clientAnsweredAt: Int64?

        public init(number: String, extensionNumber: String, managerID: String, numberDialled: Bool, clientAnsweredAt: Int64?) {
            self.number = number
            self.extensionNumber = extensionNumber
            self.managerID = managerID
            self.numberDialled = numberDialled
            self.clientAnsweredAt = clientAnsweredAt
        }
    }

    /// `call` as its request says it was: the manager's extension calling the callback's
    /// number, whatever channels the PBX used to place it (FreePBX's click-to-call style
    /// `Local/{extension}@from-internal` hides the phone from the rows), with its talk from
    /// the client's answer. A request whose number was never dialled is no attempt: the call
    /// is internal, between the PBX and the manager's phone.
    public static func corrected(_ call: Call, by request: Request, minTalk: Int) -> Call {
        var corrected = call
        guard request.numberDialled else {
            corrected.direction = .internal
            corrected.number = nil
            corrected.answered = false
            corrected.talkSeconds = 0
            return corrected
        }
        corrected.direction = .outbound
        corrected.number = request.number
        corrected.extensionNumber = request.extensionNumber
        corrected.creditedManagerID = request.managerID
        corrected.talkSeconds = request.clientAnsweredAt.map { max(0, Int(call.endedAt - $0)) } ?? 0
        corrected.answered = request.clientAnsweredAt != nil && corrected.talkSeconds >= minTalk
        return corrected
    }
}
