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

    /// The channel id among the call's rows, when Ringback originated it.
    public static func channelID(in legs: [CallLeg]) -> String? {
        legs.lazy.compactMap(\.uniqueID).first { $0.hasPrefix(channelPrefix) }
    }

    /// `call` with its talk measured from the client's answer at `clientAnsweredAt` (nil:
    /// the client never answered).
    public static func corrected(_ call: Call, clientAnsweredAt: Int64?, minTalk: Int) -> Call {
        guard call.direction == .outbound else { return call }
        var corrected = call
        corrected.talkSeconds = clientAnsweredAt.map { max(0, Int(call.endedAt - $0)) } ?? 0
        corrected.answered = corrected.talkSeconds >= minTalk && clientAnsweredAt != nil
        return corrected
    }
}
