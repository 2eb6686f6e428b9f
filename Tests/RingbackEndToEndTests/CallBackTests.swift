import Foundation
import RingbackCore
import RingbackStore
import RingbackTestSupport
import Synchronization
import XCTest

/// *Call back* with one click (SPEC §9.1) through a real `ringbackd` and a scripted AMI
/// peer on real TCP: the request goes into the store, the daemon alone sends the
/// `Originate` on its AMI link, the PBX's answer comes back to the CLI, and the call's CDR
/// closes the callback through the normal pipeline.
final class CallBackTests: XCTestCase {
    /// What the peer does with an Originate: answer it (after `delay`) with this
    /// OriginateResponse, or drop the link.
    enum PeerAnswer: Sendable {
        /// `dialStatus`: the DialEnd of the originated channel, when the manager answered.
        case respond(success: Bool, reason: String, delay: TimeInterval, dialStatus: String? = nil)
        case dropLink
    }

    /// A PBX that logs the daemon in (noting the Events it asks for), records every
    /// Originate and answers it as told; then sends what the test pushes.
    final class PBX: Sendable {
        /// What the peer saw, and what the test hands it to send.
        final class Log: Sendable {
            let outbox = AMIFixture.Outbox()
            let originates = Mutex<[[String: String]]>([])
            let events = Mutex<[String]>([])
        }

        let log = Log()
        let peer: ScriptedAMIPeer
        var outbox: AMIFixture.Outbox { log.outbox }
        var originateCount: Int { log.originates.withLock { $0.count } }
        var firstOriginate: [String: String]? { log.originates.withLock { $0.first } }

        init(answer: PeerAnswer) throws {
            let log = log
            peer = try ScriptedAMIPeer { _, connection in
                connection.send(AMIText.banner)
                let login = connection.readMessage() ?? [:]
                log.events.withLock { $0.append(login["Events"] ?? "") }
                connection.send(AMIText.loginAccepted)
                let until = Date().addingTimeInterval(120)
                while Date() < until {
                    for event in log.outbox.take() { connection.send(event) }
                    guard let message = connection.readMessage(timeout: 0.01), message["Action"] == "Originate" else { continue }
                    log.originates.withLock { $0.append(message) }
                    let id = message["ActionID"] ?? ""
                    switch answer {
                    case .dropLink:
                        return
                    case .respond(let success, let reason, let delay, let dialStatus):
                        connection.send("Response: Success\r\nActionID: \(id)\r\nMessage: Originate successfully queued\r\n\r\n")
                        Thread.sleep(forTimeInterval: delay)
                        connection.send("Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: \(id)\r\n"
                                        + "Response: \(success ? "Success" : "Failure")\r\nChannel: \(message["Channel"] ?? "")\r\n"
                                        + "Context: from-internal\r\nExten: \(message["Exten"] ?? "")\r\nReason: \(reason)\r\n\r\n")
                        if let dialStatus {
                            connection.send("Event: DialEnd\r\nPrivilege: call,all\r\nChannel: \(message["Channel"] ?? "")-00000031\r\n"
                                            + "Uniqueid: \(message["ChannelId"] ?? "")\r\nDestChannel: PJSIP/trunk-00000032\r\n"
                                            + "DestUniqueid: 1773300000.32\r\nDialStatus: \(dialStatus)\r\n\r\n")
                        }
                    }
                }
            }
        }
    }

    /// A daemon on the PBX with `[originate]`, a missed call of a caller nobody knows stored,
    /// and its callback's id. `ownLink`: `[originate]` describes the AMI link itself (SPEC
    /// §9.1's other form) instead of naming an AMI source.
    private func office(_ pbx: PBX, ownLink: Bool = false, channel: String = "PJSIP/{extension}") throws -> (DaemonHarness, Int) {
        let link = ownLink ? """
            host = "127.0.0.1"
            port = \(pbx.peer.port)
            username = "ringback"
            secret_file = "/etc/ringback/ami.secret"
            """ : "ami = \"pbx-ami\""
        let daemon = try AMIFixture.daemon(port: pbx.peer.port, extra: """

            [originate]
            \(link)
            channel = "\(channel)"
            timeout = 5
            """, source: !ownLink)
        try daemon.harness.load()
        try daemon.start()
        try daemon.wait(seconds: 20) { daemon.harness.poll(["status"]).contains { $0.text("state") == "connected" } }
        pbx.outbox.push(AMIFixture.event("1773200101.7", number: "89035557777", startedSecondsAgo: 120))
        var callbackID: Int?
        try daemon.wait(seconds: 20) {
            callbackID = daemon.harness.poll(["pending"]).first { $0.text("number") == "+79035557777" }?.int("callback_id")
            return callbackID != nil
        }
        return (daemon, try XCTUnwrap(callbackID))
    }

    func testTheDaemonSendsTheOriginateAndTheAnsweredCallsCDRClosesTheCallback() throws {
        let pbx = try PBX(answer: .respond(success: true, reason: "4", delay: 0.3, dialStatus: "ANSWER"))
        let (daemon, callbackID) = try office(pbx)
        defer { pbx.peer.stop(); daemon.remove() }
        XCTAssertEqual(pbx.log.events.withLock { $0.first }, "cdr,call", "the OriginateResponse is a call-class event")

        // `ringback call ID` as the administrator (no manager's login): the owner's phone rings.
        let call = try daemon.harness.run(["call", "\(callbackID)"])
        XCTAssertEqual(call.status, 0, call.stderr)
        XCTAssertTrue(call.stdout.contains("101 answered; the PBX is dialling +79035557777"), call.stdout)
        let sent = try XCTUnwrap(pbx.firstOriginate)
        XCTAssertEqual(sent["Channel"], "PJSIP/101")
        XCTAssertEqual(sent["Context"], "from-internal")
        XCTAssertEqual(sent["Exten"], "89035557777", "national: the trunk prefix and the national number")
        XCTAssertEqual(sent["CallerID"], "Callback +79035557777 <+79035557777>")
        XCTAssertEqual(sent["Timeout"], "5000")
        XCTAssertEqual(sent["Async"], "true")
        XCTAssertEqual(sent["Priority"], "1")
        XCTAssertTrue((sent["ActionID"] ?? "").hasPrefix("ringback-call-"))
        XCTAssertNotNil(sent["ChannelId"].flatMap { $0.range(of: #"^ringback-\d+\.\d+$"#, options: .regularExpression) })

        // The PBX writes the call's CDR when it ends: anna's phone, then the number, answered
        // (the client picked up when the DialEnd came, just now) and talked 30 s.
        try daemon.append([Self.originatedCDR(channelID: sent["ChannelId"] ?? "", talkAfterDialEnd: 30)][...], to: daemon.masterCSV)
        try daemon.wait(seconds: 20) { !daemon.harness.poll(["pending"]).contains { $0.int("callback_id") == callbackID } }
        let closed = try XCTUnwrap(try daemon.harness.json(["missed", "--since", "2026-01-01"]).first { $0.int("callback_id") == callbackID })
        XCTAssertEqual(closed.text("callback_state"), "called_back")
        XCTAssertEqual(closed.text("resolved_by"), "m1", "credited to the manager whose phone rang")
        XCTAssertEqual(daemon.stop(), 0)
    }

    /// The manager picked up, the client did not: the CDR says ANSWERED with 25 s of billsec
    /// (anna's wait), the DialEnd says NOANSWER. One attempt; the callback stays open. The
    /// link here is `[originate]`'s own, which brings the missed call's Cdr too.
    func testAnOriginatedCallTheClientDidNotAnswerIsAnAttempt() throws {
        let pbx = try PBX(answer: .respond(success: true, reason: "4", delay: 0, dialStatus: "NOANSWER"))
        let (daemon, callbackID) = try office(pbx, ownLink: true)
        defer { pbx.peer.stop(); daemon.remove() }
        XCTAssertEqual(try daemon.harness.run(["call", "\(callbackID)", "--extension", "101"]).status, 0)
        let channelID = try XCTUnwrap(pbx.firstOriginate?["ChannelId"])
        try daemon.append([Self.originatedCDR(channelID: channelID, talkAfterDialEnd: 0, billsec: 25)][...], to: daemon.masterCSV)
        try daemon.wait(seconds: 20) {
            daemon.harness.poll(["pending"]).first { $0.int("callback_id") == callbackID }?.int("attempts") == 1
        }
        XCTAssertEqual(daemon.stop(), 0)
    }

    /// FreePBX's click-to-call style rings the phone through `Local/{extension}@from-internal`:
    /// no row shows a phone calling out (the rows are those a real Asterisk 20 wrote for
    /// such an Originate, the phone's half, then the half that dialled the number). The
    /// request says who called whom; the DialEnd says the client answered.
    func testAnOriginateThroughALocalChannelStillClosesTheCallback() throws {
        let pbx = try PBX(answer: .respond(success: true, reason: "4", delay: 0, dialStatus: "ANSWER"))
        let (daemon, callbackID) = try office(pbx, channel: "Local/{extension}@from-internal")
        defer { pbx.peer.stop(); daemon.remove() }
        XCTAssertEqual(try daemon.harness.run(["call", "\(callbackID)"]).status, 0)
        let sent = try XCTUnwrap(pbx.firstOriginate)
        XCTAssertEqual(sent["Channel"], "Local/101@from-internal")
        let channelID = try XCTUnwrap(sent["ChannelId"])
        let now = Date().timeIntervalSince1970.rounded()
        let time = { (offset: Double) in DaemonHarness.moscowTime(Date(timeIntervalSince1970: now + offset)) }
        let clid = #"""Callback +79035557777"" <+79035557777>"#
        let rows = [
            #""","+79035557777","101","from-internal","\#(clid)","Local/101@from-internal-0000001a;2","PJSIP/101-00000031","Dial","PJSIP/101,,HhTtr","\#(time(-5))","\#(time(-4))","\#(time(30))",35,34,"ANSWERED","DOCUMENTATION","\#(channelID);2","","","\#(channelID)",1"#,
            #""","+79035557777","89035557777","from-internal","\#(clid)","Local/101@from-internal-0000001a;1","PJSIP/trunk-00000032","Dial","PJSIP/89035557777@trunk,300","\#(time(-5))","\#(time(-4))","\#(time(30))",35,34,"ANSWERED","DOCUMENTATION","\#(channelID)","","","\#(channelID)",0"#,
        ]
        try daemon.append(rows[...], to: daemon.masterCSV)
        try daemon.wait(seconds: 20) { !daemon.harness.poll(["pending"]).contains { $0.int("callback_id") == callbackID } }
        let closed = try XCTUnwrap(try daemon.harness.json(["missed", "--since", "2026-01-01"]).first { $0.int("callback_id") == callbackID })
        XCTAssertEqual(closed.text("callback_state"), "called_back")
        XCTAssertEqual(closed.text("resolved_by"), "m1")
        XCTAssertEqual(daemon.stop(), 0)
    }

    /// The phone was busy: the Originate failed and the PBX never dialled the number. The
    /// row it writes for the phone is no attempt at the client.
    func testAFailedOriginatesRowIsNoAttempt() throws {
        let pbx = try PBX(answer: .respond(success: false, reason: "5", delay: 0))
        let (daemon, callbackID) = try office(pbx)
        defer { pbx.peer.stop(); daemon.remove() }
        XCTAssertEqual(try daemon.harness.run(["call", "\(callbackID)"]).status, 1)
        let channelID = try XCTUnwrap(pbx.firstOriginate?["ChannelId"])
        let now = Date().timeIntervalSince1970.rounded()
        let time = DaemonHarness.moscowTime(Date(timeIntervalSince1970: now - 1))
        let row = #""","+79035557777","89035557777","from-internal","""Callback +79035557777"" <+79035557777>","PJSIP/101-00000033","","AppDial2","(Outgoing Line)","\#(time)","","\#(time)",0,0,"BUSY","DOCUMENTATION","\#(channelID)","","","\#(channelID)",0"#
        try daemon.append([row][...], to: daemon.masterCSV)
        let store = try Store(daemon.harness.storeLocation)
        var call: Call?
        try daemon.wait(seconds: 20) {
            call = try store.recordedCall(channelID)
            return call != nil
        }
        XCTAssertEqual(call?.direction, .internal, "between the PBX and anna's phone")
        let callback = try XCTUnwrap(daemon.harness.poll(["pending"]).first { $0.int("callback_id") == callbackID })
        XCTAssertEqual(callback.int("attempts"), 0, "the client's phone never rang")
        XCTAssertEqual(daemon.stop(), 0)
    }

    /// The CDR of an originated call (anna's phone, then the number), as the PBX writes it
    /// at the end: started 5 s ago (her phone rang), ending `talkAfterDialEnd` s from now.
    static func originatedCDR(channelID: String, talkAfterDialEnd: Int, billsec: Int? = nil) -> String {
        let now = Date().timeIntervalSince1970.rounded()
        let start = Date(timeIntervalSince1970: now - 5)
        let end = Date(timeIntervalSince1970: now + Double(talkAfterDialEnd))
        let seconds = Int(end.timeIntervalSince(start))
        let time = DaemonHarness.moscowTime
        return #""","101","89035557777","from-internal","""Callback"" <+79035557777>","PJSIP/101-00000031","PJSIP/trunk-00000032","Dial","PJSIP/89035557777@trunk,300","\#(time(start))","\#(time(start.addingTimeInterval(2)))","\#(time(end))",\#(seconds),\#(billsec ?? seconds - 2),"ANSWERED","DOCUMENTATION","\#(channelID)","","","\#(channelID)",0"#
    }

    func testAFailedOriginatesReasonReachesTheCLIAndADoubleClickRingsOnce() throws {
        let pbx = try PBX(answer: .respond(success: false, reason: "5", delay: 1.5))
        let (daemon, callbackID) = try office(pbx)
        defer { pbx.peer.stop(); daemon.remove() }
        let cli = [RingbackHarness.products.appendingPathComponent("ringback").path, "--config", daemon.harness.config]
            + daemon.harness.storeArguments + ["call", "\(callbackID)", "--extension", "101"]
        // Two presses at once: one rings, the other is told so.
        let first = Process()
        first.executableURL = URL(fileURLWithPath: cli[0])
        first.arguments = Array(cli.dropFirst())
        let firstErr = Pipe()
        first.standardError = firstErr
        first.standardOutput = Pipe()
        try first.run()
        try daemon.wait(seconds: 10) { pbx.originateCount == 1 }
        let second = try daemon.harness.run(["call", "\(callbackID)", "--extension", "101"])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.stderr.contains("is being called already"), second.stderr)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationStatus, 1)
        let reason = String(decoding: firstErr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(reason.contains("the call failed: the phone was busy"), reason)
        XCTAssertEqual(pbx.originateCount, 1, "rung once")
        // The same person again within 10 s: refused before anything rings.
        let soon = try daemon.harness.run(["call", "\(callbackID)", "--extension", "101"])
        XCTAssertEqual(soon.status, 1)
        XCTAssertTrue(soon.stderr.contains("one call request in 10 s"), soon.stderr)
        XCTAssertEqual(pbx.originateCount, 1)
    }

    func testALinkThatDropsMidOriginateIsAClearErrorAndNoSecondCall() throws {
        let pbx = try PBX(answer: .dropLink)
        let (daemon, callbackID) = try office(pbx)
        defer { pbx.peer.stop(); daemon.remove() }
        let call = try daemon.harness.run(["call", "\(callbackID)", "--extension", "101"])
        XCTAssertEqual(call.status, 1)
        XCTAssertTrue(call.stderr.contains("the AMI link dropped before the PBX answered"), call.stderr)
        XCTAssertTrue(call.stderr.contains("not sent again"), call.stderr)
        // The daemon connects again; the request is not sent a second time.
        try daemon.wait(seconds: 30) { pbx.peer.connections.count >= 2 && daemon.harness.poll(["status"]).contains { $0.text("state") == "connected" } }
        pbx.outbox.push(AMIFixture.event("1773200102.7", number: "89035558888", startedSecondsAgo: 60))
        try daemon.wait(seconds: 20) { daemon.harness.poll(["pending"]).contains { $0.text("number") == "+79035558888" } }
        XCTAssertEqual(pbx.originateCount, 1, "what may have rung is never sent again")
    }

    func testRefusedBeforeAnythingRings() throws {
        let pbx = try PBX(answer: .respond(success: true, reason: "4", delay: 0))
        let (daemon, callbackID) = try office(pbx)
        defer { pbx.peer.stop(); daemon.remove() }
        let notHers = try daemon.harness.run(["call", "\(callbackID)", "--extension", "999"])
        XCTAssertEqual(notHers.status, 1)
        XCTAssertTrue(notHers.stderr.contains("999 is no active manager's extension"), notHers.stderr)
        let unknown = try daemon.harness.run(["call", "424242", "--extension", "101"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("no callback 424242"), unknown.stderr)
        let boris = try daemon.harness.run(["call", "\(callbackID)", "--extension", "102"])
        XCTAssertEqual(boris.status, 1)
        XCTAssertTrue(boris.stderr.contains("is another manager's"), "anna's callback, boris's phone: \(boris.stderr)")
        // The wangiri guard: a number abroad that is no client's is not dialled.
        pbx.outbox.push(AMIFixture.event("1773200103.7", number: "8104930123456", startedSecondsAgo: 90))
        var abroad: Int?
        try daemon.wait(seconds: 20) {
            abroad = daemon.harness.poll(["pending"]).first { $0.text("number") == "+4930123456" }?.int("callback_id")
            return abroad != nil
        }
        let trap = try daemon.harness.run(["call", "\(try XCTUnwrap(abroad))", "--extension", "101"])
        XCTAssertEqual(trap.status, 1)
        XCTAssertTrue(trap.stderr.contains("+4930123456 is abroad and no client's"), trap.stderr)
        XCTAssertEqual(pbx.originateCount, 0)
    }

    /// The API and the desk's *Call back* file the request; the daemon sends it. A key names
    /// the extension; a signed-in manager's own first extension rings; the story shows the
    /// PBX's answer.
    func testTheAPIAndTheDesksButtonFileACallTheDaemonSends() throws {
        let pbx = try PBX(answer: .respond(success: false, reason: "3", delay: 0))
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("ringback-ami-\(UUID().uuidString).secret")
        try "Sup3r-Secret\n".write(to: secret, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: secret) }
        let web = try WebHarness(loading: "three-misses", "voicemail", "unknown-number-direct", configuration: """

            [[source]]
            kind = "ami"
            name = "pbx-ami"
            host = "127.0.0.1"
            port = \(pbx.peer.port)
            username = "ringback"
            secret_file = "\(secret.path)"

            [originate]
            ami = "pbx-ami"
            timeout = 5
            """)
        defer { pbx.peer.stop(); web.remove() }
        let key = try web.key("crm", scope: "write")
        let link = try web.harness.run(["web-link", "anna"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try web.start()
        try web.startDaemon()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, !web.harness.poll(["status"]).contains(where: { $0.text("state") == "connected" }) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let open = try web.harness.json(["pending"]).filter { $0.isNull("manager_id") || $0.text("manager_id") == "m1" }
            .compactMap { $0.int("callback_id") }
        guard open.count >= 2 else { return XCTFail("two open callbacks anna may call: \(open)") }

        let unnamed = try web.request("POST", "/api/v1/callbacks/\(open[0])/call", key: key, json: "{}")
        XCTAssertEqual(unnamed.status, 422, unnamed.text)
        XCTAssertEqual(unnamed.object.text("field"), "extension")
        let filed = try web.request("POST", "/api/v1/callbacks/\(open[0])/call", key: key, json: #"{"extension": "101"}"#)
        XCTAssertEqual(filed.status, 200, filed.text)
        XCTAssertEqual(filed.object.text("state"), "queued")
        XCTAssertEqual(filed.object.text("manager_id"), "m1")
        XCTAssertEqual(filed.object.text("requested_by"), "key:crm")
        let again = try web.request("POST", "/api/v1/callbacks/\(open[0])/call", key: key, json: #"{"extension": "101"}"#)
        XCTAssertTrue([409, 429].contains(again.status), "rung already, or asked again too soon: \(again.text)")

        // Anna presses *Call back* on her desk: her own extension rings.
        let cookie = try web.signIn(link: link)
        let desk = try web.raw("GET", "/", headers: ["Cookie": cookie])
        XCTAssertTrue(desk.text.contains("<button name=\"action\" value=\"call\">"), "the button, once [originate] is set")
        let token = try XCTUnwrap(desk.csrfToken)
        let pressed = try web.raw("POST", "/callbacks/\(open[1])/call",
                                  headers: ["Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"],
                                  body: "csrf_token=\(token)&action=call")
        XCTAssertEqual(pressed.status, 303, pressed.text)
        XCTAssertEqual(pressed.headers["location"], "/callbacks/\(open[1])")
        let sentBoth = Date().addingTimeInterval(10)
        while Date() < sentBoth, pbx.originateCount < 2 { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(pbx.originateCount, 2)
        XCTAssertEqual(pbx.log.originates.withLock { $0.map { $0["Channel"] ?? "" } }, ["PJSIP/101", "PJSIP/101"])
        // The PBX said the phone rang out: the story says so.
        let answered = Date().addingTimeInterval(10)
        var story = ""
        while Date() < answered, !story.contains("nobody answered") {
            story = try web.raw("GET", "/callbacks/\(open[1])", headers: ["Cookie": cookie]).text
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertTrue(story.contains("failed: the phone rang out: nobody answered"), story)

        // Boris has a desk phone and a softphone: his desk asks which rings.
        let boris = try web.signIn(link: try web.harness.run(["web-link", "boris"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let borisDesk = try web.raw("GET", "/", headers: ["Cookie": boris])
        XCTAssertTrue(borisDesk.text.contains("<select name=\"extension\" aria-label=\"Phone\"><option>102</option><option>boris-softphone</option></select>"),
                      borisDesk.text)
        XCTAssertFalse(desk.text.contains("<select name=\"extension\""), "anna has one phone: nothing to choose")
        let pending = try web.harness.json(["pending"]).compactMap { $0.int("callback_id") }
        let his = try XCTUnwrap(pending.first { !open.prefix(2).contains($0) }, "a third open callback: \(pending)")
        XCTAssertEqual(try web.harness.run(["assign", "\(his)", "--manager", "m2"]).status, 0)
        let chosen = try web.raw("POST", "/callbacks/\(his)/call",
                                 headers: ["Cookie": boris, "Content-Type": "application/x-www-form-urlencoded"],
                                 body: "csrf_token=\(try XCTUnwrap(borisDesk.csrfToken))&extension=boris-softphone&action=call")
        XCTAssertEqual(chosen.status, 303, chosen.text)
        let sentThird = Date().addingTimeInterval(10)
        while Date() < sentThird, pbx.originateCount < 3 { Thread.sleep(forTimeInterval: 0.05) }
        XCTAssertEqual(pbx.log.originates.withLock { $0.last?["Channel"] }, "PJSIP/boris-softphone")
    }
}
