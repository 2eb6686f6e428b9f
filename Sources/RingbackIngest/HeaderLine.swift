import Foundation
import RingbackCore

/// For decoders whose columns the file's header row names: a reader that starts in the
/// middle of a file (a restart, a quarantine retry) hands the decoder that first line first.
public enum HeaderLine {
    public static func prime(_ decoder: inout any CDRDecoder, descriptor: Int32) {
        var head = [UInt8](repeating: 0, count: 64 << 10)
        let count = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, 0) }
        guard count > 0, let end = head[0..<count].firstIndex(of: 10) else { return }
        let length = end > 0 && head[end - 1] == 13 ? end - 1 : end
        _ = head.withUnsafeBufferPointer { decoder.decode(UnsafeBufferPointer(rebasing: $0[0..<length])) }
    }

    public static func prime(_ decoder: inout any CDRDecoder, path: String) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        prime(&decoder, descriptor: descriptor)
    }
}
