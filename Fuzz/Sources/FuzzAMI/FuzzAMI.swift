import FuzzDriver
import RingbackCore

/// Any bytes as an AMI stream: framing (complete and at end of input) and the Cdr decoder.
@main
enum Main {
    static func main() { runFuzzer(fuzz) }
}

func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    var decoder = AMIDecoder(zone: ZoneConverter(identifier: "Europe/Moscow") ?? .utc)
    for final in [false, true] {
        AMIFramer.forEachMessage(in: bytes, firstLine: 1, final: final) { message in
            _ = decoder.decode(message.bytes)
        }
    }
    return 0
}
