import ArgumentParser
import Foundation
import RingbackConfig
import RingbackOperations
import RingbackStore

/// `ringback web-link LOGIN [--hours H]` (SPEC §8.2): a one-time sign-in URL, alone on
/// standard output, for a manager of the directory.
struct WebLink: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web-link",
        abstract: "Print a one-time sign-in link for a manager of the directory (ringback-web).",
        discussion: """
            The link is PUBLIC_URL/signin/TOKEN ([web] public_url; on a loopback listener without \
            it, the listen address), valid for --hours, spent by the first press of its sign-in \
            button. Only its SHA-256 is kept, in [web] secrets_path: run this as root or as the \
            service user (sudo -u ringback ringback web-link anna).

            Examples: ringback web-link anna --hours 24
                      ringback web-link --wallboard kazan-floor --office kzn
            """)

    @OptionGroup var options: CommonOptions
    @Argument(help: "The manager's login (the managers file's login column).") var login: String?
    @Option(help: "Hours the link stays valid.") var hours: Int = 72
    @Option(help: ArgumentHelp("Instead: the read-only wallboard's address for an office screen, under this name "
                               + "(it lasts until `ringback web-revoke NAME`).", valueName: "name"))
    var wallboard: String?
    @Option(help: ArgumentHelp("With --wallboard: the board of this office alone (SPEC §10); default: all offices.",
                               valueName: "name"))
    var office: String?

    func run() throws {
        let environment = try CommandEnvironment(options)
        if let wallboard {
            guard login == nil else {
                throw CommandFailure(message: "give a LOGIN or --wallboard NAME, not both", status: ExitStatus.badInput)
            }
            let base = try Self.publicURL(environment.configuration.web)
            let office = try Desk.office(office, in: environment.openReader())
            let secrets = try APIKeyCommand.openSecrets(environment, create: true)
            let token = Secrets.generate(prefix: "")
            try secrets.addWallboard(name: wallboard, office: office, sha256: Secrets.sha256(token), now: environment.now)
            print("\(base)/wallboard/\(token)")
            return
        }
        guard let login else {
            throw CommandFailure(message: "give the manager's LOGIN (or --wallboard NAME)", status: ExitStatus.badInput)
        }
        guard office == nil else {
            throw CommandFailure(message: "--office names a wallboard's office: give it with --wallboard NAME", status: ExitStatus.badInput)
        }
        guard (1...24 * 90).contains(hours) else {
            throw CommandFailure(message: "--hours must be from 1 to \(24 * 90)", status: ExitStatus.badInput)
        }
        let base = try Self.publicURL(environment.configuration.web)
        let secrets = try APIKeyCommand.openSecrets(environment, create: true)
        guard let manager = try environment.openReader().loadDirectory().managers.first(where: { $0.login == login }) else {
            throw CommandFailure(message: "no manager with the login \(login) in the directory", status: ExitStatus.badInput)
        }
        guard manager.active else {
            throw CommandFailure(message: "\(login) is marked active = false in the directory: no sign-in", status: ExitStatus.badInput)
        }
        let token = Secrets.generate(prefix: "")
        try secrets.addSignInLink(login: login, sha256: Secrets.sha256(token), now: environment.now,
                                  expiresAt: environment.now + Int64(hours) * 3600)
        print("\(base)/signin/\(token)")
    }

    /// What sign-in links begin with: `[web] public_url`, or the loopback listener's address.
    static func publicURL(_ web: WebSettings) throws -> String {
        guard let base = web.linkBase else {
            throw CommandFailure(message: "[web] listen is a Unix socket: set [web] public_url, the address people open",
                                 status: ExitStatus.badInput)
        }
        return base
    }
}

/// `ringback web-revoke LOGIN`: every session and unspent sign-in link of LOGIN ends, and
/// every wallboard named LOGIN.
struct WebRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web-revoke",
        abstract: "End every session and unspent sign-in link of a login, or a wallboard (ringback-web).",
        discussion: "Run as root or as the service user. Example: ringback web-revoke anna")

    @OptionGroup var options: CommonOptions
    @Argument(help: "The login.") var login: String

    func run() throws {
        let environment = try CommandEnvironment(options)
        let secrets = try APIKeyCommand.openSecrets(environment, create: true)
        let ended = try secrets.revokeSignIns(login: login, now: environment.now)
        print("\(login): \(ended.sessions) session(s) ended, \(ended.links) unspent link(s) revoked"
              + (ended.wallboards > 0 ? ", \(ended.wallboards) wallboard(s) revoked." : "."))
    }
}
