import RingbackCore

extension Store {
    /// Holds each number's lock until the transaction ends: the rules for one number never run
    /// in two daemons at once (SPEC §10). The locks are taken in one statement, in the order
    /// of their keys, so two daemons wanting the same numbers queue instead of deadlocking.
    /// SQLite has one writer at a time already: nothing to take.
    public func lockNumbers(_ numbers: [String]) throws {
        guard connection.isPostgres else { return }
        let keys = Set(numbers.map(Self.lockKey)).sorted()
        guard !keys.isEmpty else { return }
        // An array literal of integers: nothing a caller wrote reaches the statement's text.
        try connection.prepare("SELECT count(pg_advisory_xact_lock(k)) FROM unnest(?::bigint[]) AS k")
            .run([.text("{" + keys.map(String.init).joined(separator: ",") + "}")])
    }

    /// Takes the locks of those numbers no other transaction holds, without waiting; the
    /// numbers whose lock this transaction holds now. SQLite: all of them.
    func tryLockNumbers(_ numbers: [String]) throws -> Set<String> {
        guard connection.isPostgres else { return Set(numbers) }
        var byKey: [Int64: [String]] = [:]
        for number in Set(numbers) { byKey[Self.lockKey(number), default: []].append(number) }
        guard !byKey.isEmpty else { return [] }
        let keys = byKey.keys.sorted()
        let held = try connection.prepare("SELECT k FROM unnest(?::bigint[]) AS k WHERE pg_try_advisory_xact_lock(k)")
            .rows([.text("{" + keys.map(String.init).joined(separator: ",") + "}")]) { $0.int(0) }
        return Set(held.flatMap { byKey[$0] ?? [] })
    }

    /// A number's advisory lock key: FNV-1a of its text, the same in every daemon and build.
    static func lockKey(_ number: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in number.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int64(bitPattern: hash & 0x7FFF_FFFF_FFFF_FFFF)
    }
}
