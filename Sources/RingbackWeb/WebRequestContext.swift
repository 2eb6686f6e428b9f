import Hummingbird
import RingbackCore

/// Who is asking: for now an API key (the pages' sessions come with the web desk).
public struct Caller: Sendable, Equatable {
    public var name: String
    public var scope: APIScope

    /// How a write by this caller is recorded (`resolved_by`, `acknowledged_by`): `key:NAME`.
    public var recordedAs: String { "key:\(name)" }
}

/// The request context of every route: the caller, once authenticated.
public struct WebRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?

    /// The peer is this machine (a loopback address or the Unix socket). A trusted proxy
    /// (SPEC §8.1) will never count as loopback.
    public let isLoopback: Bool

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        isLoopback = switch source.channel.remoteAddress {
        case .v4(let address)?: address.host.hasPrefix("127.")
        case .v6(let address)?: address.host == "::1"
        case .unixDomainSocket?: true
        default: false
        }
    }

    /// SPEC §8.4: a body over 1 MiB is 413.
    public var maxUploadSize: Int { 1 << 20 }
}
