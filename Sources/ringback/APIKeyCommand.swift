import ArgumentParser
import Foundation
import RingbackCore
import RingbackOperations
import RingbackStore

struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key",
        abstract: "API keys for ringback-web (SPEC §8.4): create, list, revoke.",
        discussion: """
            Keys live in [web] secrets_path, the service user's own file: run these as root or as \
            that user (sudo -u ringback ringback api-key …). Only each key's SHA-256 is kept.

            Examples:
              ringback api-key create crm --scope contacts
              ringback api-key list
              ringback api-key revoke crm
            """,
        subcommands: [Create.self, List.self, Revoke.self])

    /// The secrets file, opened only for root or the service user (the owner of its folder).
    static func openSecrets(_ environment: CommandEnvironment, create: Bool) throws -> SecretStore {
        let path = environment.configuration.web.secretsPath
        let folder = (path as NSString).deletingLastPathComponent
        var info = stat()
        guard stat(folder, &info) == 0 else {
            throw CommandFailure(message: "\(folder) (the folder of [web] secrets_path) does not exist", status: ExitStatus.storeUnavailable)
        }
        guard geteuid() == 0 || geteuid() == info.st_uid else {
            let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
            throw CommandFailure(message: "API keys and sign-in links are kept by the service user: run this as root or as \(owner) "
                                 + "(sudo -u \(owner) ringback …)", status: ExitStatus.badInput)
        }
        do {
            return try SecretStore(path: path, create: create)
        } catch let error as StoreError {
            throw CommandFailure(message: error.message, status: ExitStatus.storeUnavailable)
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it, alone on standard output: it is shown once.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "A name for the key: who uses it (crm, monitoring).") var name: String
        @Option(help: "What it may do.") var scope: APIScope

        func run() throws {
            let environment = try CommandEnvironment(options)
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw CommandFailure(message: "a key's name is letters, digits, '-', '_' or '.'", status: ExitStatus.badInput)
            }
            let secrets = try APIKeyCommand.openSecrets(environment, create: true)
            let key = Secrets.generate(prefix: "rbk_")
            try secrets.addKey(name: name, scope: scope, sha256: Secrets.sha256(key), now: environment.now)
            print(key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The keys: name, scope, when created, when revoked.")
        @OptionGroup var options: CommonOptions

        func run() throws {
            let environment = try CommandEnvironment(options)
            let rows = try APIKeyCommand.openSecrets(environment, create: false).keys().map { key -> OutputRecord in
                [("name", .text(key.name)), ("scope", .text(key.scope.rawValue)), ("created_at", .time(key.createdAt)),
                 ("revoked_at", key.revokedAt.map(OutputValue.time) ?? .null)]
            }
            environment.write(rows, columns: ["name", "scope", "created_at", "revoked_at"], empty: "No API keys.")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key: it is refused from now on.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "The key's name.") var name: String

        func run() throws {
            let environment = try CommandEnvironment(options)
            guard try APIKeyCommand.openSecrets(environment, create: false).revokeKey(name: name, now: environment.now) else {
                throw CommandFailure(message: "no key named \(name) in use", status: ExitStatus.badInput)
            }
            print("Key \(name) revoked.")
        }
    }
}
