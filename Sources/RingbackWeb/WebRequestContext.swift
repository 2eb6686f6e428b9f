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

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    /// SPEC §8.4: a body over 1 MiB is 413.
    public var maxUploadSize: Int { 1 << 20 }
}
