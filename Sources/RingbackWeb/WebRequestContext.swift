import Hummingbird
import RingbackConfig
import RingbackCore

/// Who is asking: an API key, or a person signed in by session (SPEC §8.2).
public struct Caller: Sendable, Equatable {
    /// The key's name, or the person's login.
    public var name: String
    public var scope: APIScope
    /// A person sees and changes what is theirs; nil for a key.
    public var person: Person?

    /// How a write by this caller is recorded (`resolved_by`, `acknowledged_by`): `key:NAME`
    /// for a key, the login for a person.
    public var recordedAs: String { person == nil ? "key:\(name)" : name }
}

/// A signed-in manager of the directory (SPEC §8.2): a `manager` sees and acts on their own
/// callbacks and alerts and on the unassigned queue; the `head` on everything.
public struct Person: Sendable, Equatable {
    public var managerID: String
    public var isHead: Bool
    /// The session's token that every write must carry.
    public var csrfToken: String
    /// Signed in by a session of ours (which *Sign out* ends), not by the proxy's header.
    public var hasSession: Bool
}

/// The request context of every route: the caller, once authenticated.
public struct WebRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?

    /// The peer's address as text (nil on the Unix socket).
    public let peerHost: String?
    private let peerIsThisMachine: Bool
    /// The peer is `[web] trusted_proxy` (set by `PersonIdentification`).
    public var throughProxy = false

    /// The peer is this machine (a loopback address or the Unix socket) and not the trusted
    /// proxy, which passes on requests from anywhere (SPEC §8.1).
    public var isLoopback: Bool { peerIsThisMachine && !throughProxy }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        let peer = source.channel.remoteAddress
        peerHost = peer?.ipAddress
        if case .unixDomainSocket? = peer { peerIsThisMachine = true } else {
            peerIsThisMachine = peerHost.map(AddressClass.isLoopback(host:)) ?? false
        }
    }

    /// SPEC §8.4: a body over 1 MiB is 413.
    public var maxUploadSize: Int { 1 << 20 }
}
