/// What an outgoing webhook announces (SPEC §8.6); the raw values are the payload's
/// `event` words and the configuration's `events`.
public enum WebhookEvent: String, Sendable, CaseIterable, Codable {
    case callbackOpened = "callback.opened"
    case callbackResolved = "callback.resolved"
    case callbackAssigned = "callback.assigned"
    case alertRaised = "alert.raised"
}

/// Which webhooks want which events, and what is too old to send: whoever writes the store
/// (the daemon, the CLI, the web side) files an event for each interested webhook in the
/// transaction of the change itself.
public struct WebhookRouting: Sendable {
    public struct Subscription: Sendable, Equatable {
        public var url: String
        public var events: Set<WebhookEvent>

        public init(url: String, events: Set<WebhookEvent>) {
            self.url = url
            self.events = events
        }
    }

    public var subscriptions: [Subscription]
    /// `[hooks] max_age` in seconds: an event about something that happened longer before it
    /// is written (a backfill) is kept, marked as not to be sent.
    public var maxAgeSeconds: Int64

    public init(subscriptions: [Subscription], maxAgeSeconds: Int64) {
        self.subscriptions = subscriptions
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// The webhooks that want `event`.
    public func urls(for event: WebhookEvent) -> [String] {
        subscriptions.filter { $0.events.contains(event) }.map(\.url)
    }

    /// Whether an event about a moment `happenedAt`, written at `now`, goes out at all.
    public func isSendable(happenedAt: Int64, now: Int64) -> Bool { now - happenedAt <= maxAgeSeconds }
}
