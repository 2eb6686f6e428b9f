import RingbackCore
import RingbackIngest
import Synchronization

/// A clock a test moves (`set`): time-based behaviour of the daemon's writer (settling,
/// silence, retention) without waiting for it. Its monotonic time follows its wall time.
final class TestTime: Sendable {
    let seconds = Mutex<Int64>(0)

    var clock: RingbackClock {
        RingbackClock(wallSeconds: { self.seconds.withLock { $0 } },
                      monotonicMilliseconds: { self.seconds.withLock { $0 } * 1000 })
    }

    func set(_ text: String, zone: ZoneConverter) {
        let instant = TimeParsing.instant(text, zone: zone)!
        seconds.withLock { $0 = instant }
    }
}
