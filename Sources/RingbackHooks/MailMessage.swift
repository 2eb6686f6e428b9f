import Foundation

/// A mail message for a `sendmail -t`-like program (`[report] command`): the headers it
/// reads the recipient from, then the body. A subject outside ASCII is encoded (RFC 2047),
/// and an address that could smuggle a header in is refused before anything is written.
public enum MailMessage {
    public static func compose(to address: String, subject: String, contentType: String, body: String) -> String {
        """
        To: \(address)
        Subject: \(encodedWord(subject))
        MIME-Version: 1.0
        Content-Type: \(contentType); charset=utf-8
        Content-Transfer-Encoding: 8bit


        """ + body
    }

    /// One plain address (`name@host`): no spaces, line breaks, quotes, brackets or lists.
    public static func isPlainAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && address.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7f && !"<>()[],;:\"\\".unicodeScalars.contains($0) }
    }

    static func encodedWord(_ text: String) -> String {
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7f }
        return printable ? text : "=?utf-8?B?\(Data(text.utf8).base64EncodedString())?="
    }
}
