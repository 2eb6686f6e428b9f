extension String {
    /// Case-insensitive equality for ASCII words such as `Local` or `VoiceMail`: Foundation's
    /// `caseInsensitiveCompare` goes through NSString and showed up in the ingest profile.
    @inline(__always)
    func equalsIgnoringASCIICase(_ other: StaticString) -> Bool {
        let mine = utf8
        guard mine.count == other.utf8CodeUnitCount else { return false }
        let pointer = other.utf8Start
        var index = 0
        for byte in mine {
            let a = byte | (byte >= 65 && byte <= 90 ? 0x20 : 0)
            let raw = pointer[index]
            let b = raw | (raw >= 65 && raw <= 90 ? 0x20 : 0)
            if a != b { return false }
            index += 1
        }
        return true
    }
}
