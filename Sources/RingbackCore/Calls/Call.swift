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
    /// Inbound: the extension credited with the answer, or for a missed call the one that
    /// rang (the one that last rang, for a call put through to sales). Outbound: the calling
    /// extension.
    public var extensionNumber: String?
    /// The manager credited when the call itself names them rather than an extension: an
    /// answer on one of their mobiles.
    public var creditedManagerID: String?
    /// Internal extensions that rang, in the order they appear.
    public var rangExtensions: [String]
    public var voicemail: Bool
    public var talkSeconds: Int
    public var legCount: Int
    /// The office whose PBX carried the call (`[office] name`, "" unnamed): its extensions
    /// are that office's (SPEC §10).
    public var office: String

    public init(callID: String, startedAt: Int64, endedAt: Int64, direction: CallDirection, number: String?,
                rawNumber: String, answered: Bool, extensionNumber: String?, rangExtensions: [String],
                voicemail: Bool, talkSeconds: Int, legCount: Int, creditedManagerID: String? = nil, office: String = "") {
        self.office = office
        self.creditedManagerID = creditedManagerID
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

extension Call {
    /// What the rules see of the call: everything but the count of its rows and the list of
    /// extensions that rang (the one that decides an owner is `extensionNumber`), so a row
    /// that changes nothing (a late `NO ANSWER` half) does not make its number judged again.
    public var judgement: Call {
        var call = self
        call.legCount = 0
        call.rangExtensions = []
        return call
    }
}
