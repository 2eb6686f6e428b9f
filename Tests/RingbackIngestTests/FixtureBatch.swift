import Foundation
import RingbackCore
import RingbackIngest

/// A whole call fixture (`Tests/Fixtures/calls/NAME.csv`) as one batch of a spool source,
/// for tests that drive the writer or the pipeline by hand.
func fixtureBatch(_ name: String, zone: ZoneConverter) throws -> RecordBatch {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/calls/\(name).csv")
    let source = SourceContext(name: "pbx", kind: .spool, dialect: .asterisk, columns: nil, zone: zone)
    var batch = RecordBatch(source: source, file: file.path)
    var decoder = try source.makeDecoder()
    let bytes = Array(try String(contentsOf: file, encoding: .utf8).utf8)
    bytes.withUnsafeBufferPointer { _ = batch.decode($0, firstLine: 1, final: true, decoder: &decoder) }
    return batch
}
