/// Decodes AMI messages (SPEC §1.2): an `Event: Cdr` from `cdr_manager` becomes the same
/// leg as its `Master.csv` row; every other message (banner, responses, other events) is
/// skipped. `[mappings]` extras of `cdr_manager.conf` named `LinkedID`, `Sequence` and
/// `PeerAccount` are read when present.
public struct AMIDecoder: CDRDecoder {
    public let zone: ZoneConverter

    public init(zone: ZoneConverter) { self.zone = zone }

    public var framing: RecordFraming { .amiMessages }

    public mutating func decode(_ record: UnsafeBufferPointer<UInt8>) -> Result<CallLeg?, DecodeFailure> {
        let message = AMIMessage(record)
        guard let event = message["Event"], event.lowercased() == "cdr" else { return .success(nil) }
        return Self.leg(message, zone: zone).map { Optional($0) }
    }

    public static func leg(_ message: AMIMessage, zone: ZoneConverter) -> Result<CallLeg, DecodeFailure> {
        func text(_ key: String) -> String { message[key] ?? "" }
        func time(_ key: String) -> Result<Int64?, DecodeFailure> {
            let value = text(key)
            if value.isEmpty { return .success(nil) }
            let civil = Array(value.utf8).withUnsafeBufferPointer { TimeParsing.pbxTimestamp($0) }
            guard let civil else { return .failure(DecodeFailure("\(key): \"\(value)\" is not a YYYY-MM-DD HH:MM:SS time")) }
            return .success(zone.instant(of: civil))
        }
        func seconds(_ key: String) -> Result<Int, DecodeFailure> {
            guard let value = Int(text(key)), value >= 0 else {
                return .failure(DecodeFailure("\(key): \"\(text(key))\" is not a non-negative integer"))
            }
            return .success(value)
        }
        do throws(DecodeFailure) {
            var leg = CallLeg()
            leg.accountCode = text("AccountCode")
            leg.source = text("Source")
            leg.destination = text("Destination")
            leg.destinationContext = text("DestinationContext")
            leg.callerID = text("CallerID")
            leg.channel = text("Channel")
            leg.destinationChannel = text("DestinationChannel")
            leg.lastApplication = text("LastApplication")
            leg.lastData = text("LastData")
            guard let start = try time("StartTime").get() else { throw DecodeFailure("StartTime is missing") }
            guard let end = try time("EndTime").get() else { throw DecodeFailure("EndTime is missing") }
            leg.start = start
            leg.end = end
            leg.answer = try time("AnswerTime").get()
            leg.duration = try seconds("Duration").get()
            leg.billableSeconds = try seconds("BillableSeconds").get()
            guard let disposition = Disposition(asteriskWord: text("Disposition")) else {
                throw DecodeFailure("Disposition: unknown value \"\(text("Disposition"))\"")
            }
            leg.disposition = disposition
            guard end >= start else { throw DecodeFailure("EndTime is before StartTime") }
            leg.amaFlags = text("AMAFlags")
            leg.uniqueID = message["UniqueID"]
            leg.userField = message["UserField"]
            leg.linkedID = message["LinkedID"]
            leg.peerAccount = message["PeerAccount"]
            if let sequence = message["Sequence"], !sequence.isEmpty {
                guard let value = Int(sequence) else { throw DecodeFailure("Sequence: \"\(sequence)\" is not an integer") }
                leg.sequence = value
            }
            return .success(leg)
        } catch {
            return .failure(error)
        }
    }
}
