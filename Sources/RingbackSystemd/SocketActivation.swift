import CSystemd
import Foundation

/// Listening sockets that systemd opened for the service (`ringbackd.socket`, LISTEN_FDS):
/// the daemon uses them instead of binding its own, so the socket exists, with the unit's
/// owner and mode, before the daemon starts and while it restarts.
public enum SocketActivation {
    /// The first descriptor systemd passes (SD_LISTEN_FDS_START).
    static let first: Int32 = 3

    static var passed: [Int32] {
        let count = sd_listen_fds(0)
        return count > 0 ? Array(first..<(first + count)) : []
    }

    /// The passed stream socket listening on this Unix path, if any.
    public static func descriptor(unixPath: String) -> Int32? {
        passed.first { sd_is_socket_unix($0, Int32(SOCK_STREAM.rawValue), 1, unixPath, 0) > 0 }
    }

    /// The passed stream socket listening on this TCP port, if any.
    public static func descriptor(tcpPort: Int) -> Int32? {
        passed.first { sd_is_socket_inet($0, Int32(AF_UNSPEC), Int32(SOCK_STREAM.rawValue), 1, UInt16(tcpPort)) > 0 }
    }
}
