/// A silent PBX is an alert (SPEC §8.5): no CDR from any source for `minutes` of working
/// time means something broke (the CDR backend, the link, the trunk), and a head would
/// otherwise learn it a day late. Only with a working calendar: at night and on days off
/// silence is normal.
public struct PBXSilence: Sendable {
    public let minutes: Int
    public let workingTime: any WorkingTime

    public init(minutes: Int, workingTime: any WorkingTime) {
        self.minutes = minutes
        self.workingTime = workingTime
    }

    /// When the silence that began with the CDR at `lastArrival` becomes an alert.
    public func alertTime(after lastArrival: Int64) -> Int64 { workingTime.adding(minutes: minutes, to: lastArrival) }

    /// The key that makes one alert per silence: the silence is known by the CDR before it.
    public static func key(since lastArrival: Int64) -> String { "silence:\(lastArrival)" }
}
