import Crypto

/// `Ringback-Signature: t=UNIX,v1=HEX` (SPEC §8.6): HMAC-SHA256 of `t + "." + body` under the
/// webhook's secret. The time is signed too, so a receiver can refuse a replayed old body.
enum WebhookSignature {
    static func header(secret: [UInt8], timestamp: Int64, body: String) -> String {
        let message = Array("\(timestamp).".utf8) + Array(body.utf8)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret))
        let hex = code.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
        return "t=\(timestamp),v1=\(hex)"
    }
}
