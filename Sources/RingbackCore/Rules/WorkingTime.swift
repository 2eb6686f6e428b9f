/// How SLA minutes pass. Without a working calendar they are plain wall minutes; a
/// calendar (working days, hours, holidays) counts working minutes only.
public protocol WorkingTime: Sendable {
    /// The instant `minutes` of SLA time after `start`.
    func adding(minutes: Int, to start: Int64) -> Int64
}

/// SLA on wall time: every minute counts.
public struct WallClockTime: WorkingTime {
    public init() {}
    public func adding(minutes: Int, to start: Int64) -> Int64 { start + Int64(minutes) * 60 }
}
