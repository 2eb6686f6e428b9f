import RingbackCore

/// The whole configuration file (SPEC §7), typed and checked.
public struct RingbackConfiguration: Sendable {
    public var storePath: String = RingbackConfiguration.defaultStorePath
    /// `[store] url`: a PostgreSQL database instead of the SQLite file (SPEC §10).
    public var storeServer: StoreServer?
    /// `[store] keep_days`: calls, legs and contacts older than this many days are deleted
    /// once a day; nil (the default) keeps everything.
    public var keepDays: Int?
    /// `[office] name` (SPEC §10): "" for the one office of a store that has no others.
    public var office = ""
    public var numbers = NumberPlan()
    public var calls = CallSettings()
    public var sla = SLAMinutes()
    public var calendar = CalendarSettings()
    public var contacts = ContactSettings()
    public var sources: [SourceConfiguration] = []
    public var directoryPath: String?
    public var hooks = HookSettings()
    /// `[abc] dormant_days`: an A-client nobody spoke to for longer is listed in the report.
    public var dormantDays = 30
    public var report = ReportSettings()
    public var web = WebSettings()
    public var alerts = AlertSettings()
    /// `[[webhook]]`: where events go (SPEC §8.6).
    public var webhooks: [WebhookSettings] = []
    /// `[originate]` (SPEC §9.1): nil when calls are not placed through the PBX here.
    public var originate: OriginateSettings?

    /// Which webhooks want which events: every program that changes the store files them.
    public var webhookRouting: WebhookRouting? {
        guard !webhooks.isEmpty else { return nil }
        return WebhookRouting(subscriptions: webhooks.map { .init(url: $0.target.url.absoluteString, events: $0.events) },
                              maxAgeSeconds: Int64(hooks.maxAge) * 60)
    }

    /// `[alerts]`.
    public struct AlertSettings: Sendable, Equatable {
        /// Minutes of working time without a CDR from any source before `pbx_silent` is raised.
        public var pbxSilentAfter = 60
    }
    /// The file this came from, nil for built-in defaults.
    public var file: String?

    public init() {}

    public struct SLAMinutes: Sendable, Equatable {
        public var a = 15, b = 60, c = 240, unknown = 30
    }

    public struct CalendarSettings: Sendable, Equatable {
        /// The office's zone (`timezone`, an IANA name): output times carry its offset,
        /// times without one are read in it. UTC unless configured: what a file means must
        /// not depend on the machine that reads it.
        public var zone: ZoneConverter = .utc
        public var workingDays: [Int] = [1, 2, 3, 4, 5]
        /// Minutes after midnight, half-open ranges.
        public var workingHours: [Range<Int>] = []
        public var holidays: [CivilTime] = []
    }

    public struct ContactSettings: Sendable, Equatable {
        public var grace = 120
        public var allExtensions = false
        public var ignore: [String] = []
    }

    /// `[report]`: where `ringback report --send` hands the report.
    public struct ReportSettings: Sendable, Equatable {
        /// Program and arguments (no shell), e.g. "/usr/sbin/sendmail -t".
        public var command = ""
        /// With a recipient, the report goes out as a mail message with headers for `sendmail -t`.
        public var mailTo = ""
        public var format = ReportFormat.html
    }

    public struct HookSettings: Sendable, Equatable {
        public var onAlert = ""
        public var maxAge = 60
        public var timeout = 10
    }

    /// The `[calendar]` zone.
    public var officeZone: ZoneConverter { calendar.zone }

    /// The working calendar, when `[calendar] working_hours` is set.
    public var workingCalendar: WorkingCalendar? {
        calendar.workingHours.isEmpty ? nil
            : WorkingCalendar(zone: officeZone, workingDays: Set(calendar.workingDays), workingHours: calendar.workingHours,
                              holidays: calendar.holidays)
    }

    public static let defaultPath = "/etc/ringback/ringback.toml"
    public static let defaultStorePath = "/var/lib/ringback/ringback.db"
}

/// One `[[source]]` entry.
public struct SourceConfiguration: Sendable, Equatable {
    public var name: String
    public var kind: SourceKind
    public var path: String = ""
    public var dialect: Dialect = .asterisk
    public var files: String = "Master.csv*"
    /// nil: tell the layout from each row (`columns = "auto"`).
    public var columns: [AsteriskOptionalColumn]?
    /// `time_zone`; nil: the calendar's zone.
    public var timeZone: ZoneConverter?
    public var host: String = "127.0.0.1"
    public var port: Int = 5038
    public var username: String = ""
    public var secretFile: String = ""
    public var listen = ListenAddress.unix(path: "/run/ringback/cdr.sock")
    public var allowRemote = false
    /// `dialect = "mapped"`: the column map, timestamp format and result words.
    public var mapping: ColumnMapping?

    public init(name: String, kind: SourceKind) {
        self.name = name
        self.kind = kind
    }
}

/// `[originate]`: the AMI source whose link sends the Originate, and the action's template.
public struct OriginateSettings: Sendable, Equatable {
    public var ami: String
    public var template: OriginateTemplate

    public init(ami: String, template: OriginateTemplate) {
        self.ami = ami
        self.template = template
    }
}

/// `[store] url` and `password_file`.
public struct StoreServer: Sendable, Equatable {
    public var url: String
    public var passwordFile: String?
}

extension RingbackConfiguration {
    /// Where every program opens the store: `--db PATH` names an SQLite file and wins over
    /// the configuration; then `[store] url`; then `[store] path`.
    public func storeLocation(db: String? = nil) -> StoreLocation {
        if let db { return .file(db) }
        if let server = storeServer { return .server(url: server.url, passwordFile: server.passwordFile) }
        return .file(storePath)
    }
}
