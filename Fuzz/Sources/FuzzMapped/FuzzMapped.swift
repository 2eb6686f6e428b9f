import FuzzDriver
import RingbackCore

let byHeader = ColumnMapping(
    columns: [.start: .header("Call Time"), .src: .header("From"), .dst: .header("To"), .billsec: .header("Talking"),
              .disposition: .header("Status"), .uniqueid: .header("Call ID")],
    timestampFormat: (try? TimestampFormat.parse("%d.%m.%Y %I:%M:%S %p").get()) ?? .pbx, separator: 59,
    results: ["Answered": .answered, "Missed": .noAnswer])

/// Any bytes through the freeswitch template and a header-mapped export with a 12-hour
/// timestamp format and `;` separators.
@main
enum Main {
    static func main() { runFuzzer(fuzz) }
}

func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: count)
    var freeswitch = MappedDecoder(mapping: .freeswitchExample, zone: .utc)
    var mapped = MappedDecoder(mapping: byHeader, zone: ZoneConverter(identifier: "Europe/Berlin") ?? .utc)
    LineSplitter.forEachRecord(in: bytes, firstLine: 1, final: true) { record in
        _ = freeswitch.decode(record.bytes)
        _ = mapped.decode(record.bytes)
    }
    _ = TimestampFormat.parse(String(decoding: bytes.prefix(40), as: UTF8.self))
    return 0
}
