/// Settings of call assembly and classification (`[calls]`, `[numbers]`).
public struct CallSettings: Sendable, Equatable {
    public var minTalk: Int
    public var mergeWindow: Int
    public var settleMilliseconds: Int
    public var maxHoldMinutes: Int
    public var mobileMinTalk: Int
    public var inboundContexts: Set<String>

    public init(minTalk: Int = 5, mergeWindow: Int = 5, settleMilliseconds: Int = 100, maxHoldMinutes: Int = 240,
                mobileMinTalk: Int = 20, inboundContexts: Set<String> = ["from-trunk", "from-pstn", "from-external"]) {
        self.minTalk = minTalk
        self.mergeWindow = mergeWindow
        self.settleMilliseconds = settleMilliseconds
        self.maxHoldMinutes = maxHoldMinutes
        self.mobileMinTalk = mobileMinTalk
        self.inboundContexts = inboundContexts
    }

    public var assemblyTiming: AssemblyTiming {
        AssemblyTiming(settleMilliseconds: settleMilliseconds, mergeWindowSeconds: mergeWindow, maxHoldMinutes: maxHoldMinutes)
    }
}

/// What the classifier needs to know of the directory: whose extensions and mobiles are
/// whose (SPEC §3).
public struct StaffNumbers: Sendable {
    /// Extensions (or device names) listed for a manager.
    public var managerExtensions: Set<String>
    /// A manager's own external numbers, normalized → the manager's id.
    public var mobiles: [String: String]

    public init(managerExtensions: Set<String> = [], mobiles: [String: String] = [:]) {
        self.managerExtensions = managerExtensions
        self.mobiles = mobiles
    }

    /// The staff as `office`'s PBX writes them.
    public init(_ directory: Directory, office: String) {
        managerExtensions = directory.listedExtensions(in: office)
        mobiles = directory.mobileOwners
    }
}

/// Turns the legs of one call into a `Call`: direction from the channels, who answered,
/// who rang, whether the PBX itself picked up (SPEC §3).
public struct CallClassifier: Sendable {
    public let settings: CallSettings
    public let numbers: NumberPlan
    public let extensions: ExtensionMatcher
    public let staff: StaffNumbers
    /// The office whose PBX wrote the legs.
    public let office: String

    public init(settings: CallSettings, numbers: NumberPlan, extensions: ExtensionMatcher, staff: StaffNumbers = StaffNumbers(),
                office: String = "") {
        self.office = office
        self.settings = settings
        self.numbers = numbers
        self.extensions = extensions
        self.staff = staff
    }

    public func classify(callID: String, legs: [CallLeg]) -> Call {
        var call = classifyLegs(callID: callID, legs: legs)
        call.office = office
        return call
    }

    private func classifyLegs(callID: String, legs: [CallLeg]) -> Call {
        let ordered = legs.sorted { ($0.start, $0.sequence ?? 0) < ($1.start, $1.sequence ?? 0) }
        let startedAt = ordered.map(\.start).min() ?? 0
        let endedAt = ordered.map(\.end).max() ?? startedAt
        let voicemail = ordered.contains { $0.lastApplication.equalsIgnoringASCIICase("VoiceMail") }
        let rang = rangExtensions(ordered)

        // A colleague calling through an inbound context is not a client: extensions are never
        // external numbers (SPEC §2), and a manager's own mobile is staff too.
        if let trunkLeg = ordered.first(where: { isInboundLeg($0) && !extensions.isExtension(callerNumber(of: $0)) }) {
            let raw = callerNumber(of: trunkLeg)
            let number = NumberPlan.isUncallable(raw) ? nil : numbers.normalize(raw)
            var call = Call(callID: callID, startedAt: startedAt, endedAt: endedAt, direction: .inbound,
                            number: number, rawNumber: raw, answered: false,
                            extensionNumber: rang.count == 1 ? rang[0] : nil, rangExtensions: rang,
                            voicemail: voicemail, talkSeconds: 0, legCount: legs.count)
            if let number, staff.mobiles[number] != nil {
                call.direction = .internal
                return call
            }
            let answers = personAnswers(ordered)
            if !answers.isEmpty, !answers.contains(where: isManagersAnswer),
               let missed = unansweredTransfer(ordered, caller: trunkLeg) {
                // Reception answered and put the caller through to sales, where nobody picked up.
                call.extensionNumber = missed.count == 1 ? missed[0] : nil
                return call
            }
            if let best = answers.max(by: { $0.talk < $1.talk }) {
                call.answered = true
                call.extensionNumber = best.extensionNumber ?? call.extensionNumber
                call.creditedManagerID = best.managerID
                call.talkSeconds = best.talk
            }
            return call
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

    /// A person's answer: an extension's, or a manager's on their mobile.
    struct PersonAnswer {
        var extensionNumber: String?
        var managerID: String?
        var talk: Int
    }

    /// Every answer by a person: answered legs with enough talk whose destination is a real
    /// internal device, or one of a manager's mobiles reached through a trunk (follow-me,
    /// forwarding: a carrier's voicemail also answers, so `mobile_min_talk` applies). A
    /// one-row-per-call export (`Party/` channels) often names the dialled DID rather than
    /// who picked up: its answer counts unless the PBX itself played something, and the
    /// extension is known only when the destination is one.
    private func personAnswers(_ legs: [CallLeg]) -> [PersonAnswer] {
        var answers: [PersonAnswer] = []
        for leg in legs where leg.disposition == .answered && leg.billableSeconds >= settings.minTalk {
            let device = ChannelName(leg.destinationChannel)
            if let device, !device.isLocal, extensions.isExtension(device.device) {
                answers.append(PersonAnswer(extensionNumber: device.device, talk: leg.billableSeconds))
            } else if let device, !device.isLocal, leg.billableSeconds >= settings.mobileMinTalk,
                      let manager = mobileOwner(dialledBy: leg) {
                answers.append(PersonAnswer(managerID: manager, talk: leg.billableSeconds))
            } else if ChannelName(leg.channel)?.isParty == true, !Self.pbxApplications.contains(leg.lastApplication.lowercased()) {
                answers.append(PersonAnswer(talk: leg.billableSeconds))
            }
        }
        return answers
    }

    private func isManagersAnswer(_ answer: PersonAnswer) -> Bool {
        guard let ext = answer.extensionNumber else { return true }
        return staff.managerExtensions.contains(ext)
    }

    /// The manager whose mobile a leg dialled: `dst`, or the number in the dial string of
    /// `lastdata` (`SIP/trunk/89161234567`, `PJSIP/89161234567@trunk`); FreePBX marks
    /// external follow-me numbers with a trailing `#`.
    private func mobileOwner(dialledBy leg: CallLeg) -> String? {
        guard !staff.mobiles.isEmpty else { return nil }
        var candidates = [leg.destination]
        let dialString = leg.lastData.split(separator: ",", maxSplits: 1).first ?? ""
        for target in dialString.split(separator: "&") {
            var resource = target.split(separator: "/", maxSplits: 1).dropFirst().first ?? ""
            if let at = resource.firstIndex(of: "@") { resource = resource[..<at] }
            if let slash = resource.lastIndex(of: "/") { resource = resource[resource.index(after: slash)...] }
            candidates.append(String(resource))
        }
        for candidate in candidates {
            let digits = numbers.strippingOutsidePrefix(candidate.filter { $0 != "#" })
            guard !digits.isEmpty, !extensions.isExtension(digits), let number = numbers.normalize(digits) else { continue }
            if let manager = staff.mobiles[number] { return manager }
        }
        return nil
    }

    /// The managers' extensions that the caller's last ringing step rang, when nobody answered
    /// there: the caller was put through to sales and hung up while sales rang (SPEC §3). The
    /// caller's legs are the rows of its own channel (with linkedid: whose uniqueid is the
    /// linkedid); the rows of one step start together (a ring group dials all at once); a
    /// leg to a `Local/…;1` rang what its `;2` half dialled.
    private func unansweredTransfer(_ legs: [CallLeg], caller: CallLeg) -> [String]? {
        let callerLegs = legs.filter { leg in
            leg.channel == caller.channel && (leg.linkedID.map { $0.isEmpty || leg.uniqueID == $0 } ?? true)
        }
        // Reception's answer and the ringing after it: at least two legs of the caller's own.
        guard callerLegs.count > 1 else { return nil }
        let ringing = callerLegs.map { ($0, reachedDevices($0, among: legs)) }.filter { !$0.1.isEmpty }
        guard let lastStart = ringing.map(\.0.start).max() else { return nil }
        let reached = ringing.filter { $0.0.start == lastStart }.flatMap(\.1)
        let managers = reached.map(\.device).filter { staff.managerExtensions.contains($0) }
        guard !managers.isEmpty, !reached.contains(where: \.answered) else { return nil }
        var unique: [String] = []
        for ext in managers where !unique.contains(ext) { unique.append(ext) }
        return unique
    }

    /// The internal devices a leg rang, and whether a person answered there.
    private func reachedDevices(_ leg: CallLeg, among legs: [CallLeg]) -> [(device: String, answered: Bool)] {
        func answered(_ leg: CallLeg) -> Bool { leg.disposition == .answered && leg.billableSeconds >= settings.minTalk }
        guard let device = ChannelName(leg.destinationChannel) else { return [] }
        if !device.isLocal {
            return extensions.isExtension(device.device) ? [(device.device, answered(leg))] : []
        }
        guard let half = LocalHalf(leg.destinationChannel, half: 1) else { return [] }
        let secondHalf = half.name + ";2"
        let behind = legs.filter { $0.channel == secondHalf }.compactMap { inner -> (String, Bool)? in
            guard let target = ChannelName(inner.destinationChannel), !target.isLocal,
                  extensions.isExtension(target.device) else { return nil }
            return (target.device, answered(inner))
        }
        if !behind.isEmpty { return behind }
        return extensions.isExtension(device.device) ? [(device.device, answered(leg))] : []
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
