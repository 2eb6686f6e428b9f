import Crypto
import Foundation

/// Keys, tokens and session ids (SPEC §8.2): 256 random bits from the system's generator,
/// shown once, kept only as their SHA-256.
public enum Secrets {
    /// A new secret: a prefix saying what it is, then 256 random bits as URL-safe base64.
    public static func generate(prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let encoded = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }

    public static func sha256(_ secret: String) -> [UInt8] { Array(SHA256.hash(data: Data(secret.utf8))) }

    /// Whether two secrets are equal, in a time that does not tell how much of one matched.
    public static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(sha256(a)), Array(sha256(b)))
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
