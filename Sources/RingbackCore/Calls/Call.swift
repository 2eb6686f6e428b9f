public enum CallDirection: String, Sendable {
    case inbound, outbound, `internal`
}

/// A call assembled from its legs and classified (SPEC §3).
public struct Call: Sendable, Equatable {
    public var callID: String
    public var startedAt: Int64
    public var endedAt: Int64
    public var direction: CallDirection
    /// The external party, normalized: the caller of an inbound call, the dialled number of
    /// an outbound one. `nil` when there is none or it cannot be called back.
    public var number: String?
    /// The external party as the PBX wrote it.
    public var rawNumber: String
    /// Inbound: a person answered. Outbound: the far end answered with enough talk.
    public var answered: Bool
    /// Inbound: the extension credited with the answer. Outbound: the calling extension.
    public var extensionNumber: String?
    /// Internal extensions that rang, in the order they appear.
    public var rangExtensions: [String]
    public var voicemail: Bool
    public var talkSeconds: Int
    public var legCount: Int

    public init(callID: String, startedAt: Int64, endedAt: Int64, direction: CallDirection, number: String?,
                rawNumber: String, answered: Bool, extensionNumber: String?, rangExtensions: [String],
                voicemail: Bool, talkSeconds: Int, legCount: Int) {
        self.callID = callID
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.direction = direction
        self.number = number
        self.rawNumber = rawNumber
        self.answered = answered
        self.extensionNumber = extensionNumber
        self.rangExtensions = rangExtensions
        self.voicemail = voicemail
        self.talkSeconds = talkSeconds
        self.legCount = legCount
    }
}
