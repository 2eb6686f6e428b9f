/// `[originate]` (SPEC §9.1) as the action needs it: which channel rings the manager's
/// phone, where the dialplan takes the call from there, how the number is dialled and what
/// the phone shows while it rings.
public struct OriginateTemplate: Sendable, Equatable {
    /// With `{extension}`, e.g. `PJSIP/{extension}`.
    public var channel = "PJSIP/{extension}"
    public var context = "from-internal"
    public var dial = DialForm.national
    /// With `{client_name}` and `{number}`.
    public var callerID = "Callback {client_name} <{number}>"
    /// Seconds the manager's phone rings.
    public var timeout = 30
    /// The wangiri guard: which numbers abroad may be dialled.
    public var international = InternationalCalls.directory

    public init() {}
}

/// `[originate] international`: a number of another country is dialled only when it is a
/// client's (`directory`), always, or never. A one-ring call from a premium number abroad is
/// a trap, not a client.
public enum InternationalCalls: String, Sendable, CaseIterable {
    case directory, always, never
}
