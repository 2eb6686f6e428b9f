import RingbackCore
import RingbackStore

/// The numbers whose calls are judged again in one transaction, and the calls judged anew
/// that take the place of what was recorded (SPEC §3): rows that came after their call was
/// judged, or a call that completed after a later call of its number.
///
/// Each number's history is set aside from the first affected call on (moved back to the
/// first miss of a callback still open then) and replayed in order of the calls' start,
/// manual closes in between; the store revives the callbacks and alerts raised again
/// under their old ids.
struct Rejudging {
    /// Number → the start of its first call to judge again.
    private(set) var numbers: [String: Int64] = [:]
    private var calls: [Call] = []
    /// Recorded calls replaced by a new judgement.
    private var replaced: [String] = []
    /// New calls among `calls` (not a new judgement of a recorded one).
    private(set) var added = 0

    var isEmpty: Bool { numbers.isEmpty && calls.isEmpty }

    func includes(_ number: String) -> Bool { numbers[number] != nil }

    private mutating func mark(_ number: String?, from start: Int64) {
        guard let number else { return }
        numbers[number] = min(numbers[number] ?? start, start)
    }

    /// A call not recorded yet, to judge in order among its number's calls.
    mutating func add(_ call: Call) {
        mark(call.number, from: call.startedAt)
        calls.append(call)
        added += 1
    }

    /// `judged` as recorded is replaced by `call`, judged with all its rows.
    mutating func replace(_ judged: Call, with call: Call) {
        let from = min(judged.startedAt, call.startedAt)
        mark(judged.number, from: from)
        mark(call.number, from: from)
        replaced.append(judged.callID)
        calls.append(call)
    }

    func replay(in store: any IngestStore, context: RuleContext) throws {
        guard !isEmpty else { return }
        for callID in replaced { try store.setAsideCall(callID) }
        var history: [String: NumberHistory] = [:]
        for (number, from) in numbers { history[number] = try store.setAsideHistory(of: number, from: from) }
        for call in calls {
            if let number = call.number {
                history[number, default: NumberHistory(calls: [], closes: [])].calls.append(call)
            } else {
                let decision = context.rules.decide(call, directory: context.directory, openCallback: nil)
                try store.record(call, decision: decision, headID: context.headID)
            }
        }
        for number in history.keys.sorted() {
            let taken = history[number]!
            var pendingCloses = taken.closes.sorted { $0.at < $1.at }[...]
            for call in taken.calls.sorted(by: { ($0.startedAt, $0.callID) < ($1.startedAt, $1.callID) }) {
                while let close = pendingCloses.first, close.at <= call.startedAt {
                    try store.reapply(close, number: number, headID: context.headID)
                    pendingCloses.removeFirst()
                }
                let open = try store.openCallback(number: number)
                let decision = context.rules.decide(call, directory: context.directory, openCallback: open)
                try store.record(call, decision: decision, headID: context.headID)
            }
            for close in pendingCloses { try store.reapply(close, number: number, headID: context.headID) }
        }
    }
}
