import ArgumentParser
import Foundation
import RingbackCore
import RingbackStore

struct MigrateStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy the SQLite store into an empty PostgreSQL database (SPEC §10).",
        discussion: """
            Every table is copied, read positions and held rows too, from one snapshot of the \
            store, in one transaction on the server: a failure leaves the database empty. \
            Then set [store] url (and password_file) instead of path, and restart ringbackd \
            and ringback-web. Rows the daemon stores after the snapshot are read again from \
            the CDR files on the new store; stop ringbackd first when it has an AMI or push \
            socket source, whose rows cannot be read again.

            Example: ringback migrate-store --to postgresql://ringback@db.example/ringback \
            --password-file /etc/ringback/db.password
            """)

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: ArgumentHelp("The PostgreSQL database, as a postgresql:// URL without password.", valueName: "url"))
    var to: String

    @Option(name: .long, help: ArgumentHelp("Its password, in a file (default: the db.password credential).", valueName: "path"))
    var passwordFile: String?

    func run() throws {
        let environment = try CommandEnvironment(options)
        guard to.hasPrefix("postgresql://") || to.hasPrefix("postgres://") else {
            throw CommandFailure(message: "--to \"\(PostgresURL.redacted(to))\" must be a postgresql:// URL", status: ExitStatus.badInput)
        }
        guard PostgresURL.redacted(to) == to else {
            throw CommandFailure(message: "--to holds a password, which would stay in the shell's history: use --password-file",
                                 status: ExitStatus.badInput)
        }
        guard case .file = environment.storeLocation else {
            throw CommandFailure(message: "the configured store is PostgreSQL already; name the SQLite file to copy with --db",
                                 status: ExitStatus.badInput)
        }
        let source = try environment.openStore(.migrate)
        let target = try environment.openStore(.migrate, at: .server(url: to, passwordFile: passwordFile))
        let copied: [(table: String, rows: Int)]
        do {
            copied = try source.copy(into: target)
        } catch let error as StoreRequestError {
            throw CommandFailure(message: error.description, status: ExitStatus.badInput)
        } catch let error as StoreError {
            throw CommandFailure(message: error.description, status: ExitStatus.storeUnavailable)
        }
        environment.write(copied.map { [("table", .text($0.table)), ("rows", .integer(Int64($0.rows)))] },
                          columns: ["table", "rows"], empty: "nothing to copy")
        FileHandle.standardError.write(Data("""
            \(environment.storeLocation) copied to \(PostgresURL.redacted(to)). Now set [store] url = "\(to)" (and password_file) \
            instead of path, and restart ringbackd and ringback-web.

            """.utf8))
    }
}
