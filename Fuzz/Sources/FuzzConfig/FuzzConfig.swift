import FuzzDriver
import RingbackConfig

/// Any text as ringback.toml: it is accepted or refused with a reason, never a crash.
@main
enum Main {
    static func main() { runFuzzer(fuzz) }
}

func fuzz(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    _ = try? ConfigurationParser.parse(text, file: "fuzz.toml")
    return 0
}
