import Dispatch

/// Pure work run on another thread while this one does something else; `value()` waits for
/// it. Whoever starts one waits for it before leaving the scope that started it (a `defer`),
/// so no work outlives its caller.
final class OnSecondCore<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    // Written once by the worker before it signals, read only after the wait.
    private var outcome: Value?
    private var waited = false

    init(_ work: @escaping @Sendable () -> Value) {
        DispatchQueue.global().async {
            self.outcome = work()
            self.done.signal()
        }
    }

    func value() -> Value {
        if !waited {
            done.wait()
            waited = true
        }
        return outcome!
    }
}
