import Foundation
import RingbackConfig
import RingbackCore
import RingbackHooks
import RingbackReport

/// Hands a rendered report to `[report] command`, as a mail message when `mail_to` is set.
struct ReportDelivery {
    let settings: RingbackConfiguration.ReportSettings

    func send(_ body: String, format: ReportFormat, subject: String) throws {
        guard let command = HookCommandLine.words(settings.command) else {
            throw CommandFailure(message: "--send needs [report] command, e.g. \"/usr/sbin/sendmail -t\"",
                                 status: ExitStatus.badInput)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let input = Pipe()
        process.standardInput = input
        do {
            try process.run()
        } catch {
            throw CommandFailure(message: "[report] command: cannot start \(command[0]): \(error.localizedDescription)",
                                 status: ExitStatus.badInput)
        }
        let message = settings.mailTo.isEmpty ? body
            : MailMessage.compose(to: settings.mailTo, subject: subject, contentType: format.mediaType, body: body)
        try? input.fileHandleForWriting.write(contentsOf: Data(message.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw CommandFailure(message: "[report] command \(command[0]) failed with status \(process.terminationStatus)",
                                 status: ExitStatus.badInput)
        }
    }
}
