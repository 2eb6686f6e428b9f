import ArgumentParser
import Foundation
import RingbackCore
import RingbackOperations
import RingbackStore

/// `ringback call CALLBACK_ID [--extension EXT]` (SPEC §9.1): the PBX rings the manager's
/// phone and, when they pick up, dials the callback's number. The request goes into the
/// store; `ringbackd` sends it on its AMI link; this waits for the PBX's answer.
struct Call: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call a client back through the PBX: your phone rings, then the PBX dials the number.",
        discussion: """
            Needs [originate] in the configuration and a running ringbackd with its AMI link up (only \
            the daemon speaks AMI). The phone that rings is --extension, which must be one of yours \
            (the directory's manager with your login), else your first extension; run as root, name \
            the extension and its manager calls. Waits for the PBX's answer, at most [originate] \
            timeout + 5 s: exit 0 when the phone answered and the PBX dials the number, 1 with the \
            reason otherwise. Whether the client was reached, the call's CDR says, as for any call.

            Example: ringback call 12 --extension 101
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "The callback_id from `ringback pending`.") var callbackID: Int64
    @Option(name: .customLong("extension"), help: "Which of your extensions rings.") var extensionNumber: String?

    func run() throws {
        let environment = try CommandEnvironment(options)
        let configuration = environment.configuration
        guard let originate = configuration.originate else {
            throw CommandFailure(message: "[originate] is not configured: calls are not placed through the PBX here",
                                 status: ExitStatus.badInput)
        }
        let store = try environment.openWriter()
        let request = try Desk.requestCall(in: store, callbackID: callbackID, extensionNumber: extensionNumber,
                                           asker: .login(CommandEnvironment.login), template: originate.template,
                                           plan: configuration.numbers, now: environment.now)
        print("Calling \(request.extensionNumber) for callback \(callbackID) (\(request.number)), request \(request.requestID)…")
        // The daemon answers into the store: look there until the PBX has said, or time is up.
        let deadline = Date().addingTimeInterval(TimeInterval(Int64(originate.template.timeout) + CallRequest.answerGraceSeconds))
        var seen = request
        while seen.state.isLive, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            seen = try store.callRequest(request.requestID) ?? seen
        }
        switch seen.state {
        case .connected:
            print("\(request.extensionNumber) answered; the PBX is dialling \(request.number).")
        case .failed:
            throw CommandFailure(message: "the call failed: \(seen.reason ?? "no reason given")", status: ExitStatus.badInput)
        case .queued:
            throw CommandFailure(message: "ringbackd has not sent the request: is it running, with its AMI link up? (ringback status)",
                                 status: ExitStatus.badInput)
        case .sent:
            throw CommandFailure(message: "the PBX has not answered in \(originate.template.timeout + 5) s", status: ExitStatus.badInput)
        }
    }
}
