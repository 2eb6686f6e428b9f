/// A *Call back* asked for (SPEC §9.1): filed by the CLI, the API or the desk, sent by the
/// daemon on its AMI link, answered by the PBX.
public struct CallRequest: Sendable, Equatable {
    public var requestID: Int64
    public var callbackID: Int64
    /// The login (`key:NAME` for an API key) that asked.
    public var requestedBy: String
    /// The manager whose phone rings, and which of their extensions.
    public var managerID: String
    public var extensionNumber: String
    /// The callback's number, as stored.
    public var number: String
    public var action: OriginateAction
    public var requestedAt: Int64
    public var state: CallRequestState
    public var sentAt: Int64?
    public var finishedAt: Int64?
    /// Why it failed, or what the PBX said.
    public var reason: String?

    public init(requestID: Int64, callbackID: Int64, requestedBy: String, managerID: String, extensionNumber: String,
                number: String, action: OriginateAction, requestedAt: Int64, state: CallRequestState, sentAt: Int64?,
                finishedAt: Int64?, reason: String?) {
        self.requestID = requestID
        self.callbackID = callbackID
        self.requestedBy = requestedBy
        self.managerID = managerID
        self.extensionNumber = extensionNumber
        self.number = number
        self.action = action
        self.requestedAt = requestedAt
        self.state = state
        self.sentAt = sentAt
        self.finishedAt = finishedAt
        self.reason = reason
    }

    /// The `ChannelId` the Originate gives the manager's channel, so its CDR can be known:
    /// shaped like a uniqueid (`name-digits.digits`), as the CSV layouts expect.
    public var channelID: String { "\(OriginatedCall.channelPrefix)\(requestedAt).\(requestID)" }
    /// A request still queued this long is not sent any more: nobody waits that long for
    /// their phone to ring.
    public static let staleQueuedSeconds: Int64 = 15
    /// A sent request the PBX has not answered this long after its ringing time ended fails.
    public static let answerGraceSeconds: Int64 = 5

    /// The `ActionID` of its Originate and of the PBX's answers to it.
    public var actionID: String { "ringback-call-\(requestID)" }
}

/// Where a call request is.
public enum CallRequestState: String, Sendable, CaseIterable {
    /// In the store; the daemon sends it within a second when its AMI link is up.
    case queued
    /// Sent; the manager's phone rings.
    case sent
    /// The manager answered and the PBX dials the number: what becomes of the call the CDR says.
    case connected
    /// Refused by the PBX, unanswered, busy, or never sent: `reason` says which.
    case failed

    /// Still under way: one per callback at a time.
    public var isLive: Bool { self == .queued || self == .sent }
}
