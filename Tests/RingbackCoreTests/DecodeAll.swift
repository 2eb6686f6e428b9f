import RingbackCore

/// Every record of `bytes` through `decoder`: the legs, and the refused records by line.
func decodeAll(_ bytes: [UInt8], _ decoder: some CDRDecoder) -> (legs: [CallLeg], failures: [(Int, String)]) {
    var decoder = decoder
    var legs: [CallLeg] = []
    var failures: [(Int, String)] = []
    bytes.withUnsafeBufferPointer { buffer in
        func handle(_ record: RecordSlice) {
            switch decoder.decode(record.bytes) {
            case .success(let leg?): legs.append(leg)
            case .success(nil): break
            case .failure(let failure): failures.append((record.line, failure.reason))
            }
        }
        switch decoder.framing {
        case .lines: LineSplitter.forEachRecord(in: buffer, firstLine: 1, final: true, handle)
        case .amiMessages: AMIFramer.forEachMessage(in: buffer, firstLine: 1, final: true, handle)
        }
    }
    return (legs, failures)
}
