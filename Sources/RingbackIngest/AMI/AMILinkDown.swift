import NIOCore
import NIOPosix
import RingbackCore

/// What `ringback status` and the log say while the AMI link is down: a sentence a PBX
/// administrator can act on, in the office's time, not swift-nio's description of the error
/// ("connection refused by 127.0.0.1:5038; retrying since 10:30:50, next attempt in 2 s").
struct AMILinkDown {
    var host: String
    var port: Int
    var zone: ZoneConverter

    /// Why the link ended or could not be made.
    func reason(_ error: any Error) -> String {
        switch error {
        case let error as AMILinkError:
            return error.description
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first { return reason(failure.error) }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return "cannot resolve \(host)" }
            return "cannot connect to \(host):\(port)"
        case let error as IOError:
            return reason(errno: error.errnoCode)
        case ChannelError.connectTimeout(let after):
            return "no answer from \(host):\(port) within \(after.nanoseconds / 1_000_000_000) s"
        default:
            return "the link to \(host):\(port) failed: \(error)"
        }
    }

    private func reason(errno code: CInt) -> String {
        switch code {
        case ECONNREFUSED: "connection refused by \(host):\(port)"
        case ETIMEDOUT: "no answer from \(host):\(port)"
        case EHOSTUNREACH, ENETUNREACH: "no route to \(host):\(port)"
        case ECONNRESET, EPIPE: "the connection to \(host):\(port) was reset"
        default: "cannot connect to \(host):\(port) (errno \(code))"
        }
    }

    /// The whole sentence: the reason, since when the link is down, when the next try comes.
    func sentence(reason: String, since: Int64, now: Int64, nextAttemptIn seconds: Double) -> String {
        let start = zone.civil(of: since)
        let today = zone.civil(of: now)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var time = "\(pad(start.hour)):\(pad(start.minute)):\(pad(start.second))"
        if (start.year, start.month, start.day) != (today.year, today.month, today.day) {
            time = "\(start.year)-\(pad(start.month))-\(pad(start.day)) " + time
        }
        let wait = seconds < 1 ? "less than a second" : "\(Int(seconds.rounded(.up))) s"
        return "\(reason); retrying since \(time), next attempt in \(wait)"
    }
}
