import RingbackCore
import XCTest

/// The AMI `Originate` of a call request (SPEC §9.1): the number as the PBX dials it in a
/// few numbering plans, what the manager's phone shows, and what never reaches AMI.
final class OriginateActionTests: XCTestCase {
    private let russia = NumberPlan(countryCode: "7", trunkPrefix: "8", internationalPrefix: "810", areaCode: "495")
    private let germany = NumberPlan(countryCode: "49", trunkPrefix: "0", internationalPrefix: "00", areaCode: "30",
                                     nationalLength: 11)

    func testTheNumberAsEachPlanDialsIt() {
        XCTAssertEqual(russia.dialString(for: "+79161234567", form: .national), "89161234567")
        XCTAssertEqual(russia.dialString(for: "+4930123456", form: .national), "8104930123456", "abroad: 810 first")
        XCTAssertEqual(russia.dialString(for: "+79161234567", form: .international), "81079161234567")
        XCTAssertEqual(russia.dialString(for: "+79161234567", form: .e164), "+79161234567")
        XCTAssertEqual(germany.dialString(for: "+4930123456", form: .national), "030123456")
        XCTAssertEqual(germany.dialString(for: "+79161234567", form: .national), "0079161234567")
        XCTAssertEqual(germany.dialString(for: "+4930123456", form: .international), "004930123456")
        var outside = russia
        outside.outsidePrefix = "9"
        XCTAssertEqual(outside.dialString(for: "+79161234567", form: .national), "989161234567", "the outside line first")
        XCTAssertEqual(outside.dialString(for: "+79161234567", form: .e164), "9+79161234567")
        XCTAssertEqual(russia.dialString(for: "0611", form: .national), "0611", "digits no rule fitted are dialled as they are")
    }

    func testAbroadIsAnotherCountrysNumber() {
        XCTAssertFalse(russia.isAbroad("+79161234567"))
        XCTAssertTrue(russia.isAbroad("+4930123456"))
        XCTAssertTrue(germany.isAbroad("+79161234567"))
        XCTAssertFalse(russia.isAbroad("0611"))
    }

    func testTheActionsFieldsForTheManagersPhoneAndTheClientsName() throws {
        let action = try OriginateAction.make(OriginateTemplate(), plan: russia, extensionNumber: "101", number: "+79161234567",
                                              clientName: "Alfa Trading, LLC").get()
        XCTAssertEqual(action.fields(actionID: "ringback-call-7", channelID: "ringback-1773200000.7").map { "\($0.0): \($0.1)" }, [
            "Action: Originate", "ActionID: ringback-call-7", "Channel: PJSIP/101", "Context: from-internal",
            "Exten: 89161234567", "Priority: 1", "CallerID: Callback Alfa Trading, LLC <+79161234567>", "Timeout: 30000",
            "Async: true", "ChannelId: ringback-1773200000.7",
        ])
        let nameless = try OriginateAction.make(OriginateTemplate(), plan: russia, extensionNumber: "101", number: "+79161234567",
                                                clientName: nil).get()
        XCTAssertEqual(nameless.callerID, "Callback +79161234567 <+79161234567>")
    }

    /// A caller chooses their name; the directory's extension and the stored number are
    /// the office's. Nothing with a line break or `&` reaches an AMI line.
    func testHostileValuesNeverReachAnAMILine() throws {
        let hostile = try OriginateAction.make(OriginateTemplate(), plan: russia, extensionNumber: "101", number: "+79161234567",
                                               clientName: "Evil\r\nAction: Originate\r\nChannel: PJSIP/999&PJSIP/998 <x>").get()
        XCTAssertTrue(OriginateAction.isSafe(hostile.callerID), hostile.callerID)
        XCTAssertFalse(hostile.callerID.contains("<x>"))
        for (extensionNumber, number) in [("101&PJSIP/102", "+79161234567"), ("101\r\nAction: Logoff", "+79161234567"),
                                          ("101", "+7916;1234567"), ("101", "anonymous")] {
            guard case .failure = OriginateAction.make(OriginateTemplate(), plan: russia, extensionNumber: extensionNumber,
                                                       number: number, clientName: nil) else {
                return XCTFail("\(extensionNumber) / \(number) made an action")
            }
        }
    }

    func testThePBXsAnswers() {
        func message(_ lines: String) -> AMIMessage {
            AMIMessage(fields: lines.split(separator: "\n").map { line in
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return (parts[0], parts.count > 1 ? parts[1] : "")
            })
        }
        XCTAssertEqual(OriginateAnswer(message("Response: Success\nActionID: ringback-call-3\nMessage: Originate successfully queued")),
                       .accepted(requestID: 3))
        XCTAssertEqual(OriginateAnswer(message("Response: Error\nActionID: ringback-call-3\nMessage: Permission denied")),
                       .refused(requestID: 3, reason: "the PBX refused the Originate: Permission denied"))
        XCTAssertEqual(OriginateAnswer(message("Event: OriginateResponse\nActionID: ringback-call-3\nResponse: Success\nReason: 4")),
                       .connected(requestID: 3))
        XCTAssertEqual(OriginateAnswer(message("Event: OriginateResponse\nActionID: ringback-call-3\nResponse: Failure\nReason: 5")),
                       .failed(requestID: 3, reason: "the phone was busy"))
        XCTAssertEqual(OriginateAnswer(message("Event: OriginateResponse\nActionID: ringback-call-3\nResponse: Failure\nReason: 3")),
                       .failed(requestID: 3, reason: "the phone rang out: nobody answered"))
        XCTAssertNil(OriginateAnswer(message("Response: Success\nActionID: ringback-ping-1\nPing: Pong")))
        XCTAssertNil(OriginateAnswer(message("Event: Cdr\nSource: 101")))
    }

    /// The request's channel id is found on the other half of a `Local/` channel too, and
    /// the request decides who called whom.
    func testAnOriginatedCallIsWhatItsRequestSays() {
        var half = CallLeg()
        half.uniqueID = "ringback-1796156129.12;2"
        half.linkedID = "ringback-1796156129.12"
        XCTAssertEqual(OriginatedCall.channelID(in: [half]), "ringback-1796156129.12")
        XCTAssertNil(OriginatedCall.channelID(in: [CallLeg()]))
        let asRows = Call(callID: "k", startedAt: 1000, endedAt: 1060, direction: .internal, number: nil, rawNumber: "",
                          answered: true, extensionNumber: nil, rangExtensions: ["101"], voicemail: false, talkSeconds: 55, legCount: 2)
        let request = OriginatedCall.Request(number: "+79035557777", extensionNumber: "101", managerID: "m1",
                                             numberDialled: true, clientAnsweredAt: 1020)
        let called = OriginatedCall.corrected(asRows, by: request, minTalk: 5)
        XCTAssertEqual([called.direction == .outbound, called.answered], [true, true])
        XCTAssertEqual([called.number, called.extensionNumber, called.creditedManagerID], ["+79035557777", "101", "m1"])
        XCTAssertEqual(called.talkSeconds, 40, "from the client's answer to the end")
        var unanswered = request
        unanswered.clientAnsweredAt = nil
        XCTAssertFalse(OriginatedCall.corrected(asRows, by: unanswered, minTalk: 5).answered, "an attempt")
        var neverDialled = request
        neverDialled.numberDialled = false
        XCTAssertEqual(OriginatedCall.corrected(asRows, by: neverDialled, minTalk: 5).direction, .internal)
    }
}
