/// Minutes until a callback is due, by the client's ABC group (`[sla]`).
public struct SLAPolicy: Sendable {
    public var minutesA: Int
    public var minutesB: Int
    public var minutesC: Int
    /// A number that belongs to no client, or a client without a group.
    public var minutesUnknown: Int
    public var workingTime: any WorkingTime

    public init(minutesA: Int = 15, minutesB: Int = 60, minutesC: Int = 240, minutesUnknown: Int = 30,
                workingTime: any WorkingTime = WallClockTime()) {
        self.minutesA = minutesA
        self.minutesB = minutesB
        self.minutesC = minutesC
        self.minutesUnknown = minutesUnknown
        self.workingTime = workingTime
    }

    public func minutes(for group: ABCGroup?) -> Int {
        switch group {
        case .A: minutesA
        case .B: minutesB
        case .C: minutesC
        case nil: minutesUnknown
        }
    }

    /// Due time = first missed call + the group's SLA, in working time (SPEC §4.1).
    public func dueTime(firstMissedAt: Int64, group: ABCGroup?) -> Int64 {
        workingTime.adding(minutes: minutes(for: group), to: firstMissedAt)
    }
}
