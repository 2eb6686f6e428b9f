/// One CDR row: one leg of a call, decoded, with its times as instants (seconds since the
/// epoch, UTC).
public struct CallLeg: Sendable, Equatable {
    public var accountCode: String = ""
    public var source: String = ""
    public var destination: String = ""
    public var destinationContext: String = ""
    public var callerID: String = ""
    public var channel: String = ""
    public var destinationChannel: String = ""
    public var lastApplication: String = ""
    public var lastData: String = ""
    public var start: Int64 = 0
    public var answer: Int64?
    public var end: Int64 = 0
    public var duration: Int = 0
    public var billableSeconds: Int = 0
    public var disposition: Disposition = .unknown
    public var amaFlags: String = ""
    public var uniqueID: String?
    public var userField: String?
    public var peerAccount: String?
    public var linkedID: String?
    public var sequence: Int?

    public init() {}

    /// The key that groups the legs of one call: linkedid, else uniqueid (SPEC §3).
    public var callKey: String? {
        if let linkedID, !linkedID.isEmpty { return linkedID }
        if let uniqueID, !uniqueID.isEmpty { return uniqueID }
        return nil
    }

    /// The row's identity (SPEC §5.1): the same for a CSV row and an AMI event of one CDR.
    public var digest: LegDigest {
        var hasher = LegDigest.Hasher()
        hasher.add(uniqueID ?? "")
        hasher.add(channel)
        hasher.add(destinationChannel)
        hasher.add(start)
        hasher.add(answer ?? -1)
        hasher.add(end)
        hasher.add(disposition.rawValue)
        hasher.add(Int64(billableSeconds))
        return hasher.finish()
    }
}
