import ArgumentParser
import Foundation
import RingbackStore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A consistent copy of the store while the daemon runs.",
        discussion: """
            The copy is one snapshot (SQLite's VACUUM INTO), compact, and readable by the ringback \
            group only. The file must not exist yet.

            Example: ringback backup /var/backups/ringback-2026-03-10.db
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "The new file.") var path: String

    func run() throws {
        let environment = try CommandEnvironment(options)
        try environment.openReader().backup(to: path)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("\(environment.storeLocation) copied to \(path) (\(size / 1024) KiB)")
    }
}
