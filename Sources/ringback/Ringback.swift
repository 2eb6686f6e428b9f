import ArgumentParser
import Foundation
import RingbackStore

@main
struct Ringback: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringback",
        abstract: "Missed calls nobody called back, and answered calls nobody recorded: the Ringback CLI.",
        discussion: """
            Reads the store that ringbackd writes. Managers see their pending callbacks; the head of sales \
            sees missed calls and alerts; anyone with access loads the directory.

            Examples:
              ringback pending                       your open callbacks (all, for the head)
              ringback pending --overdue --format json
              ringback missed --since 2026-03-10     missed calls since a day, with callback state
              ringback alerts --state open
              ringback ack 12                        acknowledge alert 12
              ringback resolve 7 --reason spam       close callback 7 by hand
              ringback assign 7 --manager m2         hand callback 7 to manager m2
              ringback import clients clients.csv
              ringback ingest /var/log/asterisk/cdr-csv/Master.csv.1
              ringback status                        sources, lag, errors (exit 3 when unhealthy)
              ringback rejudge --since 2026-03-01    judge calls again after adding mobiles, fixing contexts
              ringback api-key create crm --scope contacts   a key for ringback-web's API
              ringback backup /var/backups/ringback.db       a consistent copy while the daemon runs
            """,
        subcommands: [Pending.self, Missed.self, Alerts.self, Ack.self, Resolve.self, Later.self, Assign.self, Call.self, Away.self, Report.self, Ingest.self,
                      Import.self, Quarantine.self, Status.self, Rejudge.self, Backup.self, MigrateStore.self, APIKeyCommand.self, WebLink.self, WebRevoke.self]
    )

    /// Exit statuses follow SPEC §6: usage errors are 1 (not ArgumentParser's 64).
    static func main() {
        // A store the CLI creates (`ingest`, `import`) is for the ringback group only, like the
        // daemon's: 0660 files in a 0770 directory.
        umask(0o007)
        // A report command or a pipe reader that exits without reading must be an error the
        // command reports, not SIGPIPE killing it (as the daemon does).
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot(CommonOptionsFirst.reordered(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let failure as CommandFailure {
            printError("ringback: \(failure.message)")
            Foundation.exit(failure.status)
        } catch let error as StoreRequestError {
            printError("ringback: \(error.description)")
            Foundation.exit(ExitStatus.badInput)
        } catch let error as StoreError {
            printError("ringback: \(error.message)")
            Foundation.exit(error.kind == .cannotOpen ? ExitStatus.storeUnavailable : ExitStatus.badInput)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Foundation.exit(ExitStatus.badInput)
        }
    }
}
