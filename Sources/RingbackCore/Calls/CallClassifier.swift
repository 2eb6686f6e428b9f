/// Settings of call assembly and classification (`[calls]`, `[numbers]`).
public struct CallSettings: Sendable, Equatable {
    public var minTalk: Int
    public var mergeWindow: Int
    public var settleMilliseconds: Int
    public var inboundContexts: Set<String>

    public init(minTalk: Int = 5, mergeWindow: Int = 5, settleMilliseconds: Int = 100,
                inboundContexts: Set<String> = ["from-trunk", "from-pstn", "from-external"]) {
        self.minTalk = minTalk
        self.mergeWindow = mergeWindow
        self.settleMilliseconds = settleMilliseconds
        self.inboundContexts = inboundContexts
    }
}

/// Turns the legs of one call into a `Call`: direction from the channels, who answered,
/// who rang, whether the PBX itself picked up (SPEC §3).
public struct CallClassifier: Sendable {
    public let settings: CallSettings
    public let numbers: NumberPlan
    public let extensions: ExtensionMatcher

    public init(settings: CallSettings, numbers: NumberPlan, extensions: ExtensionMatcher) {
        self.settings = settings
        self.numbers = numbers
        self.extensions = extensions
    }

    public func classify(callID: String, legs: [CallLeg]) -> Call {
        let ordered = legs.sorted { ($0.start, $0.sequence ?? 0) < ($1.start, $1.sequence ?? 0) }
        let startedAt = ordered.map(\.start).min() ?? 0
        let endedAt = ordered.map(\.end).max() ?? startedAt
        let voicemail = ordered.contains { $0.lastApplication.equalsIgnoringASCIICase("VoiceMail") }
        let rang = rangExtensions(ordered)

        // A colleague calling through an inbound context is not a client: extensions are never
        // external numbers (SPEC §2).
        if let trunkLeg = ordered.first(where: { isInboundLeg($0) && !extensions.isExtension(callerNumber(of: $0)) }) {
            let raw = callerNumber(of: trunkLeg)
            let number = NumberPlan.isUncallable(raw) ? nil : numbers.normalize(raw)
            let answer = personAnswer(ordered)
            return Call(callID: callID, startedAt: startedAt, endedAt: endedAt, direction: .inbound,
                        number: number, rawNumber: raw, answered: answer != nil,
                        extensionNumber: answer?.extensionNumber ?? (rang.count == 1 ? rang[0] : nil),
                        rangExtensions: rang, voicemail: voicemail, talkSeconds: answer?.talk ?? 0,
                        legCount: legs.count)
        }
        if let (leg, caller, dialled) = outboundLeg(ordered) {
            let answered = ordered.filter { $0.disposition == .answered && $0.billableSeconds >= settings.minTalk }
            let talk = answered.map(\.billableSeconds).max() ?? 0
            return Call(callID: callID, startedAt: startedAt, endedAt: endedAt, direction: .outbound,
                        number: numbers.normalize(dialled), rawNumber: leg.destination, answered: !answered.isEmpty,
                        extensionNumber: caller, rangExtensions: rang, voicemail: voicemail, talkSeconds: talk,
                        legCount: legs.count)
        }
        let first = ordered.first ?? CallLeg()
        return Call(callID: callID, startedAt: startedAt, endedAt: endedAt, direction: .internal, number: nil,
                    rawNumber: first.source, answered: ordered.contains { $0.disposition == .answered },
                    extensionNumber: ChannelName(first.channel)?.device, rangExtensions: rang,
                    voicemail: voicemail, talkSeconds: ordered.map(\.billableSeconds).max() ?? 0,
                    legCount: legs.count)
    }

    /// A leg that came in on a trunk: its channel's device is neither an internal extension
    /// nor a `Local/` channel; or its context is a configured inbound context.
    func isInboundLeg(_ leg: CallLeg) -> Bool {
        if settings.inboundContexts.contains(leg.destinationContext) { return true }
        guard let channel = ChannelName(leg.channel) else { return false }
        return !channel.isLocal && !extensions.isExtension(channel.device)
    }

    private func callerNumber(of leg: CallLeg) -> String {
        if !leg.source.isEmpty { return leg.source }
        // clid `"Name" <number>`
        if let open = leg.callerID.lastIndex(of: "<"), let close = leg.callerID.lastIndex(of: ">"), open < close {
            return String(leg.callerID[leg.callerID.index(after: open)..<close])
        }
        return ""
    }

    /// The answered leg with the longest talk whose destination is a real internal device.
    /// A one-row-per-call export (`Party/` channels) often names the dialled DID rather than
    /// who picked up: its answer counts unless the PBX itself played something, and the
    /// extension is known only when the destination is one.
    private func personAnswer(_ legs: [CallLeg]) -> (extensionNumber: String?, talk: Int)? {
        var best: (String?, Int)?
        for leg in legs where leg.disposition == .answered && leg.billableSeconds >= settings.minTalk {
            let device = ChannelName(leg.destinationChannel)
            let answeredBy: String?
            if let device, !device.isLocal, extensions.isExtension(device.device) {
                answeredBy = device.device
            } else if ChannelName(leg.channel)?.isParty == true, !Self.pbxApplications.contains(leg.lastApplication.lowercased()) {
                answeredBy = nil
            } else {
                continue
            }
            if best == nil || leg.billableSeconds > best!.1 { best = (answeredBy, leg.billableSeconds) }
        }
        return best.map { (extensionNumber: $0.0, talk: $0.1) }
    }

    private static let pbxApplications: Set<String> = ["playback", "background", "voicemail", "read", "ivr"]

    private func outboundLeg(_ legs: [CallLeg]) -> (CallLeg, String, String)? {
        for leg in legs {
            guard let channel = ChannelName(leg.channel), !channel.isLocal, extensions.isExtension(channel.device)
            else { continue }
            let dialled = numbers.strippingOutsidePrefix(leg.destination)
            if NumberPlan.isUncallable(dialled) || extensions.isExtension(dialled) { continue }
            guard dialled.allSatisfy({ $0.isNumber || $0 == "+" }) else { continue }
            return (leg, channel.device, dialled)
        }
        return nil
    }

    private func rangExtensions(_ legs: [CallLeg]) -> [String] {
        var seen: [String] = []
        for leg in legs {
            guard let device = ChannelName(leg.destinationChannel) else { continue }
            if extensions.isExtension(device.device), !seen.contains(device.device) { seen.append(device.device) }
        }
        return seen
    }
}
