import Foundation

/// A writer to a Unix stream socket, as the PBX or a script would be.
public enum UnixSocketWriter {
    /// A blocking client: connects, sends `data` in the given piece sizes, closes.
    public static func write(_ path: String, _ data: [UInt8], pieces: (Int) -> Int) -> (sent: Int, closedByServer: Bool) {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes.prefix(raw.count - 1))
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return (0, true) }
        var offset = 0
        var step = 0
        while offset < data.count {
            let size = min(max(1, pieces(step)), data.count - offset)
            let sent = data[offset..<(offset + size)].withUnsafeBytes { send(descriptor, $0.baseAddress, size, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return (offset, true) }
            offset += sent
            step += 1
        }
        return (offset, false)
    }
}
