import FuzzDriver
import RingbackCore

/// Any bytes as a Master.csv chunk, through the line splitter and the cdr_csv decoder in
/// both layout modes: a crash or a sanitizer report is a finding; a refusal is not.
@main
enum Main {
    static func main() { runFuzzer(fuzz) }
}

func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    var automatic = AsteriskDecoder(zone: .utc)
    var declared = AsteriskDecoder(columns: [.uniqueid, .userfield, .peeraccount, .linkedid, .sequence], zone: .utc)
    for final in [false, true] {
        LineSplitter.forEachRecord(in: bytes, firstLine: 1, final: final) { record in
            _ = automatic.decode(record.bytes)
            _ = declared.decode(record.bytes)
        }
    }
    return 0
}
