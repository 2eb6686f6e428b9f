import Dispatch
import Foundation

/// Wakes a watcher when something changes in a directory: inotify where the kernel offers
/// it, a plain timeout otherwise. Either way the caller rescans at least every `poll`, so a
/// missed event (or a file system without inotify, such as NFS) costs latency, not data.
public final class DirectoryEvents: @unchecked Sendable {
    private let descriptor: Int32
    public var usesInotify: Bool { descriptor >= 0 }

    public init(path: String) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 {
            let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB)
            if inotify_add_watch(fd, path, mask) < 0 {
                close(fd)
                descriptor = -1
                return
            }
        }
        descriptor = fd
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Returns when the directory changed or `timeoutMilliseconds` passed, whichever is first.
    public func wait(timeoutMilliseconds: Int32) async {
        guard descriptor >= 0 else {
            try? await Task.sleep(for: .milliseconds(Int(timeoutMilliseconds)))
            return
        }
        let fd = descriptor
        // poll(2) blocks, so it runs on a dispatch thread, never on the cooperative pool.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&entry, 1, timeoutMilliseconds)
                var drain = [UInt8](repeating: 0, count: 4096)
                while read(fd, &drain, drain.count) > 0 {}
                continuation.resume()
            }
        }
    }
}
