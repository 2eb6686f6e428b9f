/// A 128-bit digest of a leg's identifying fields.
///
/// Two independent 64-bit FNV-1a lanes; not cryptographic (nothing here is adversarial), but
/// stable across runs and builds, which Swift's `Hasher` is not. A chance collision among
/// ten million rows is about 10⁻²⁴.
public struct LegDigest: Hashable, Sendable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Big-endian, high lane first.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
    }

    public var description: String {
        String(high, radix: 16).leftPadded(16) + String(low, radix: 16).leftPadded(16)
    }

    public struct Hasher {
        private var a: UInt64 = 0xcbf2_9ce4_8422_2325
        private var b: UInt64 = 0x8422_2325_cbf2_9ce4
        public init() {}

        @inline(__always)
        private mutating func byte(_ value: UInt8) {
            a = (a ^ UInt64(value)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(value)) &* 0x0000_0100_0000_0193 ^ (b >> 29)
        }

        public mutating func add(_ text: String) {
            for value in text.utf8 { byte(value) }
            byte(0x1f)  // field separator, so ("ab","c") ≠ ("a","bc")
        }

        /// The same as `add(String(decoding: bytes, as: UTF8.self))`, for bytes the caller
        /// knows to be that string's UTF-8 (ASCII, no quotes to undo), without building it.
        public mutating func add(utf8 bytes: UnsafeBufferPointer<UInt8>) {
            for value in bytes { byte(value) }
            byte(0x1f)
        }

        public mutating func add(_ value: Int64) {
            var v = UInt64(bitPattern: value)
            for _ in 0..<8 {
                byte(UInt8(truncatingIfNeeded: v))
                v >>= 8
            }
            byte(0x1f)
        }

        public func finish() -> LegDigest { LegDigest(high: a, low: b) }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A row's identity (SPEC §5.1) with its end, read from its bytes without decoding the rest:
/// enough to tell a row stored already.
public struct RowIdentity: Sendable, Equatable {
    public var start: Int64
    public var end: Int64
    public var digest: LegDigest

    public init(start: Int64, end: Int64, digest: LegDigest) {
        self.start = start
        self.end = end
        self.digest = digest
    }
}
