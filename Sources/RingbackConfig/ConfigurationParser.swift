import Foundation
import RingbackCore
import TOMLKit

/// Reads `ringback.toml`. Unknown sections and keys and wrong types are refused, naming the
/// section, the key and, where it can be found, the line.
public enum ConfigurationParser {
    public static func load(path: String) throws -> RingbackConfiguration {
        let data = try readFile(path)
        guard let text = String(validating: data, as: UTF8.self) else {
            let valid = data.prefix { $0 < 0x80 }
            throw ConfigurationError(file: path, line: valid.filter { $0 == 10 }.count + 1,
                                     reason: "not UTF-8 text (TOML files are UTF-8)")
        }
        return try parse(text, file: path)
    }

    /// The file's bytes, or why not, telling "permission denied" from "absent": a user
    /// outside the `ringback` group must be told to ask for membership, not that the file
    /// is missing.
    private static func readFile(_ path: String) throws -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw ConfigurationError(unreadable: path, errno: errno) }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ConfigurationError(unreadable: path, errno: errno) }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    public static func parse(_ text: String, file: String) throws -> RingbackConfiguration {
        if let problem = TOMLPrecheck.firstProblem(in: text) {
            throw ConfigurationError(file: file, line: problem.line, reason: problem.reason)
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, line: error.source.begin.line, reason: error.description)
        }
        var reader = Reader(text: text, file: file)
        var config = RingbackConfiguration()
        config.file = file
        try reader.onlyKeys(root, section: nil,
                            ["store", "office", "numbers", "calls", "sla", "calendar", "contacts", "source", "directory", "hooks", "abc", "report", "web", "alerts", "webhook", "originate"])
        if let store = try reader.table(root, "store") {
            try reader.onlyKeys(store, section: "store", ["path", "keep_days", "url", "password_file"])
            config.storePath = try reader.string(store, "path", "store") ?? config.storePath
            config.keepDays = try reader.int(store, "keep_days", "store", min: 1)
            config.storeServer = try parseStoreServer(store, reader: &reader)
        }
        if let office = try reader.table(root, "office") {
            try reader.onlyKeys(office, section: "office", ["name"])
            let name = try reader.string(office, "name", "office") ?? ""
            guard OfficeExtension.isValidOfficeName(name) else {
                throw reader.failure("office", "name", "\"\(name)\" is not an office name: 1 to 32 letters, digits, - or _")
            }
            config.office = name
        }
        if let numbers = try reader.table(root, "numbers") {
            try parseNumbers(numbers, into: &config.numbers, reader: &reader)
        }
        if let calls = try reader.table(root, "calls") {
            let s = "calls"
            try reader.onlyKeys(calls, section: s, ["min_talk", "merge_window", "settle_ms", "max_hold", "mobile_min_talk",
                                                      "inbound_contexts"])
            config.calls.minTalk = try reader.int(calls, "min_talk", s, min: 0) ?? config.calls.minTalk
            config.calls.mergeWindow = try reader.int(calls, "merge_window", s, min: 0) ?? config.calls.mergeWindow
            config.calls.settleMilliseconds = try reader.int(calls, "settle_ms", s, min: 0) ?? config.calls.settleMilliseconds
            config.calls.maxHoldMinutes = try reader.int(calls, "max_hold", s, min: 1) ?? config.calls.maxHoldMinutes
            config.calls.mobileMinTalk = try reader.int(calls, "mobile_min_talk", s, min: 0) ?? config.calls.mobileMinTalk
            if let contexts = try reader.strings(calls, "inbound_contexts", s) { config.calls.inboundContexts = Set(contexts) }
        }
        if let sla = try reader.table(root, "sla") {
            try reader.onlyKeys(sla, section: "sla", ["A", "B", "C", "unknown"])
            config.sla.a = try reader.int(sla, "A", "sla", min: 0) ?? config.sla.a
            config.sla.b = try reader.int(sla, "B", "sla", min: 0) ?? config.sla.b
            config.sla.c = try reader.int(sla, "C", "sla", min: 0) ?? config.sla.c
            config.sla.unknown = try reader.int(sla, "unknown", "sla", min: 0) ?? config.sla.unknown
        }
        if let calendar = try reader.table(root, "calendar") {
            try parseCalendar(calendar, into: &config.calendar, reader: &reader)
        }
        if let contacts = try reader.table(root, "contacts") {
            let s = "contacts"
            try reader.onlyKeys(contacts, section: s, ["grace", "all_extensions", "ignore"])
            config.contacts.grace = try reader.int(contacts, "grace", s, min: 0) ?? config.contacts.grace
            config.contacts.allExtensions = try reader.bool(contacts, "all_extensions", s) ?? false
            config.contacts.ignore = try reader.strings(contacts, "ignore", s) ?? []
        }
        if let directory = try reader.table(root, "directory") {
            try reader.onlyKeys(directory, section: "directory", ["path"])
            config.directoryPath = try reader.string(directory, "path", "directory")
        }
        if let hooks = try reader.table(root, "hooks") {
            let s = "hooks"
            try reader.onlyKeys(hooks, section: s, ["on_alert", "max_age", "timeout"])
            config.hooks.onAlert = try reader.string(hooks, "on_alert", s) ?? ""
            config.hooks.maxAge = try reader.int(hooks, "max_age", s, min: 0) ?? config.hooks.maxAge
            config.hooks.timeout = try reader.int(hooks, "timeout", s, min: 1) ?? config.hooks.timeout
        }
        if let abc = try reader.table(root, "abc") {
            try reader.onlyKeys(abc, section: "abc", ["dormant_days"])
            config.dormantDays = try reader.int(abc, "dormant_days", "abc", min: 1) ?? config.dormantDays
        }
        if let report = try reader.table(root, "report") {
            let s = "report"
            try reader.onlyKeys(report, section: s, ["command", "mail_to", "format"])
            config.report.command = try reader.string(report, "command", s) ?? ""
            config.report.mailTo = try reader.string(report, "mail_to", s) ?? ""
            if let format = try reader.string(report, "format", s) {
                guard let chosen = ReportFormat(rawValue: format) else {
                    throw reader.failure(s, "format", "\"\(format)\" is not one of text, html, csv, json")
                }
                config.report.format = chosen
            }
        }
        if let alerts = try reader.table(root, "alerts") {
            try reader.onlyKeys(alerts, section: "alerts", ["pbx_silent_after"])
            config.alerts.pbxSilentAfter = try reader.int(alerts, "pbx_silent_after", "alerts", min: 1) ?? config.alerts.pbxSilentAfter
        }
        if let web = try reader.table(root, "web") {
            try parseWeb(web, into: &config.web, reader: &reader)
        }
        for (index, table) in try reader.arrayOfTables(root, "webhook").enumerated() {
            config.webhooks.append(try parseWebhook(table, index: index, reader: &reader))
        }
        for (index, table) in try reader.arrayOfTables(root, "source").enumerated() {
            var source = try parseSource(table, index: index, reader: &reader)
            // Read positions are per source: a default name must not be the same in two offices.
            if table["name"] == nil, !config.office.isEmpty { source.name = "\(config.office):\(source.name)" }
            config.sources.append(source)
        }
        let names = config.sources.map(\.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw reader.failure("source", "name", "two sources are named \"\(duplicate)\"; give each a unique name")
        }
        if let originate = try reader.table(root, "originate") {
            config.originate = try parseOriginate(originate, sources: &config.sources, reader: &reader)
        }
        return config
    }

    /// `[store] url` and `password_file` (SPEC §10). The password never sits in the URL, which
    /// is shown in logs and `status`; a file path and a URL together would leave it unclear
    /// which store is the real one.
    private static func parseStoreServer(_ table: TOMLTable, reader: inout Reader) throws -> StoreServer? {
        let s = "store"
        let passwordFile = try reader.string(table, "password_file", s)
        guard let url = try reader.string(table, "url", s) else {
            if passwordFile != nil { throw reader.failure(s, "password_file", "is for a PostgreSQL store: set [store] url too") }
            return nil
        }
        guard url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") else {
            throw reader.failure(s, "url", "must be a postgresql:// URL (an SQLite store is set with [store] path)")
        }
        if PostgresURL.redacted(url) != url {
            throw reader.failure(s, "url", "holds a password, which would show in logs: put it in [store] password_file "
                                 + "or the systemd credential \(StoreLocation.credentialName)")
        }
        if table["path"] != nil {
            throw reader.failure(s, "url", "and [store] path are both set: keep the one store this office uses")
        }
        return StoreServer(url: url, passwordFile: passwordFile)
    }

    private static func parseNumbers(_ table: TOMLTable, into plan: inout NumberPlan, reader: inout Reader) throws {
        let s = "numbers"
        try reader.onlyKeys(table, section: s, ["country_code", "trunk_prefix", "international_prefix", "area_code",
                                                "national_length", "extension_pattern", "outside_prefix"])
        plan.countryCode = try reader.digits(table, "country_code", s) ?? ""
        plan.trunkPrefix = try reader.digits(table, "trunk_prefix", s) ?? ""
        plan.internationalPrefix = try reader.digits(table, "international_prefix", s) ?? plan.internationalPrefix
        plan.areaCode = try reader.digits(table, "area_code", s) ?? ""
        plan.nationalLength = try reader.int(table, "national_length", s, min: 4) ?? plan.nationalLength
        plan.outsidePrefix = try reader.digits(table, "outside_prefix", s) ?? ""
        if let pattern = try reader.string(table, "extension_pattern", s) {
            guard let compiled = ExtensionPattern(pattern) else {
                throw reader.failure(s, "extension_pattern", "\"\(pattern)\" is not a valid regular expression")
            }
            plan.extensionPattern = compiled
        }
    }

    private static func parseWeb(_ table: TOMLTable, into web: inout WebSettings, reader: inout Reader) throws {
        let s = "web"
        try reader.onlyKeys(table, section: s, ["listen", "allow_remote", "tls_certificate", "tls_key", "trusted_proxy",
                                                "user_header", "proxy_secret_file", "public_url", "session_days",
                                                "language", "secrets_path"])
        if let listen = try reader.string(table, "listen", s) {
            guard let address = ListenAddress(listen) else {
                throw reader.failure(s, "listen", "\"\(listen)\" is neither host:port nor unix:/absolute/path")
            }
            web.listen = address
        }
        web.allowRemote = try reader.bool(table, "allow_remote", s) ?? false
        let certificate = try reader.string(table, "tls_certificate", s) ?? ""
        let key = try reader.string(table, "tls_key", s) ?? ""
        guard certificate.isEmpty == key.isEmpty else {
            throw reader.failure(s, certificate.isEmpty ? "tls_key" : "tls_certificate",
                                 "HTTPS needs both tls_certificate and tls_key (PEM files), or neither")
        }
        web.tls = certificate.isEmpty ? nil : TLSFiles(certificate: certificate, key: key)
        web.trustedProxy = try reader.string(table, "trusted_proxy", s) ?? ""
        guard web.trustedProxy.isEmpty || AddressClass.bytes(of: web.trustedProxy) != nil else {
            throw reader.failure(s, "trusted_proxy", "\"\(web.trustedProxy)\" is not an IP address: the proxy's address as this server sees it, e.g. 127.0.0.1")
        }
        web.userHeader = try reader.string(table, "user_header", s) ?? ""
        web.proxySecretFile = try reader.string(table, "proxy_secret_file", s) ?? ""
        guard web.userHeader.isEmpty || (!web.trustedProxy.isEmpty && !web.proxySecretFile.isEmpty) else {
            throw reader.failure(s, "user_header", "is believed only from a trusted_proxy carrying its proxy_secret_file's secret: set both")
        }
        web.publicURL = try reader.string(table, "public_url", s) ?? ""
        if !web.publicURL.isEmpty, !(web.publicURL.hasPrefix("https://") || web.publicURL.hasPrefix("http://")) {
            throw reader.failure(s, "public_url", "\"\(web.publicURL)\" is not an http:// or https:// address")
        }
        web.sessionDays = try reader.int(table, "session_days", s, min: 1) ?? web.sessionDays
        if let language = try reader.string(table, "language", s) {
            guard let chosen = PageLanguage(rawValue: language) else {
                throw reader.failure(s, "language", "\"\(language)\" is not one of en, ru")
            }
            web.language = chosen
        }
        web.secretsPath = try reader.string(table, "secrets_path", s) ?? web.secretsPath
        // SPEC §8.1: who may reach a remote listener, and through what.
        if !web.listen.isLoopback {
            guard web.allowRemote else {
                throw reader.failure(s, "listen", "\(web.listen) can be reached from other machines; set allow_remote = true if that is meant")
            }
            guard web.tls != nil || !web.trustedProxy.isEmpty else {
                throw reader.failure(s, "listen", "\(web.listen) is remote: set tls_certificate and tls_key, or trusted_proxy for a reverse proxy that speaks HTTPS")
            }
            guard !web.publicURL.isEmpty else {
                throw reader.failure(s, "public_url", "is required when listen is not loopback: sign-in links begin with it")
            }
        }
    }

    private static func parseOriginate(_ table: TOMLTable, sources: inout [SourceConfiguration],
                                       reader: inout Reader) throws -> OriginateSettings {
        let s = "originate"
        let linkKeys = ["host", "port", "username", "secret_file", "time_zone"]
        try reader.onlyKeys(table, section: s, ["ami", "channel", "context", "dial", "caller_id", "timeout", "international"] + linkKeys)
        let ami: String
        if let ownLink = linkKeys.first(where: { table.contains(key: $0) }) {
            // SPEC §9.1's other form: the link described here. It is an AMI source like any
            // other (one client, one reconnect, one secret handling), so its Cdr events count too.
            if table.contains(key: "ami") {
                throw reader.failure(s, ownLink, "set either ami = the name of an AMI source, or the link's host, port, username and secret_file here, not both")
            }
            var link = SourceConfiguration(name: "", kind: .ami)
            link.dialect = .ami
            link.host = try reader.string(table, "host", s) ?? link.host
            link.port = try reader.int(table, "port", s, min: 1) ?? link.port
            link.username = try reader.string(table, "username", s) ?? ""
            link.secretFile = try reader.string(table, "secret_file", s) ?? ""
            link.timeZone = try reader.zone(table, "time_zone", s)
            link.name = "ami:\(link.host):\(link.port)"
            if sources.contains(where: { $0.name == link.name }) {
                throw reader.failure(s, ownLink, "the [[source]] \"\(link.name)\" already links to \(link.host):\(link.port): set ami = \"\(link.name)\" instead")
            }
            sources.append(link)
            ami = link.name
        } else {
            guard let named = try reader.string(table, "ami", s) else {
                throw reader.failure(s, "ami", "is required: the name of the [[source]] kind = \"ami\" whose link sends the Originate, or the link's host, port, username and secret_file")
            }
            guard sources.contains(where: { $0.name == named && $0.kind == .ami }) else {
                throw reader.failure(s, "ami", "\"\(named)\" is not the name of a [[source]] kind = \"ami\"")
            }
            ami = named
        }
        var template = OriginateTemplate()
        template.channel = try reader.string(table, "channel", s) ?? template.channel
        guard template.channel.contains("{extension}") else {
            throw reader.failure(s, "channel", "\"\(template.channel)\" has no {extension}: which phone would ring?")
        }
        template.context = try reader.string(table, "context", s) ?? template.context
        template.callerID = try reader.string(table, "caller_id", s) ?? template.callerID
        for (key, value) in [("channel", template.channel), ("context", template.context), ("caller_id", template.callerID)]
        where !OriginateAction.isSafe(value) || value.isEmpty {
            throw reader.failure(s, key, value.isEmpty ? "is empty" : "holds a line break or &, which would reach the AMI action")
        }
        if let dial = try reader.string(table, "dial", s) {
            guard let form = DialForm(rawValue: dial) else {
                throw reader.failure(s, "dial", "\"\(dial)\" is not one of national, e164, international")
            }
            template.dial = form
        }
        template.timeout = try reader.int(table, "timeout", s, min: 5) ?? template.timeout
        if let international = try reader.string(table, "international", s) {
            guard let policy = InternationalCalls(rawValue: international) else {
                throw reader.failure(s, "international", "\"\(international)\" is not one of directory, always, never")
            }
            template.international = policy
        }
        return OriginateSettings(ami: ami, template: template)
    }

    private static func parseWebhook(_ table: TOMLTable, index: Int, reader: inout Reader) throws -> WebhookSettings {
        let s = "webhook #\(index + 1)"
        reader.arrayTable = ("webhook", index)
        defer { reader.arrayTable = nil }
        try reader.onlyKeys(table, section: s, ["url", "secret_file", "events", "give_up_after"])
        guard let url = try reader.string(table, "url", s) else {
            throw reader.failure(s, "url", "is required: where the events are POSTed")
        }
        let target: WebhookTarget
        switch WebhookTarget.parse(url) {
        case .success(let parsed): target = parsed
        case .failure(let refusal): throw reader.failure(s, "url", refusal.reason)
        }
        guard let secretFile = try reader.string(table, "secret_file", s), !secretFile.isEmpty else {
            throw reader.failure(s, "secret_file", "is required: the file holding the secret the signatures are made with")
        }
        var events = Set(WebhookEvent.allCases)
        if let names = try reader.strings(table, "events", s) {
            events = try Set(names.map { name in
                guard let event = WebhookEvent(rawValue: name) else {
                    throw reader.failure(s, "events", "\"\(name)\" is not one of \(WebhookEvent.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return event
            })
            guard !events.isEmpty else { throw reader.failure(s, "events", "names no event; leave it out for all of them") }
        }
        let hours = try reader.int(table, "give_up_after", s, min: 1) ?? WebhookSettings.defaultGiveUpAfterHours
        return WebhookSettings(target: target, secretFile: secretFile, events: events, giveUpAfterHours: hours)
    }

    private static func parseCalendar(_ table: TOMLTable, into calendar: inout RingbackConfiguration.CalendarSettings,
                                      reader: inout Reader) throws {
        let s = "calendar"
        try reader.onlyKeys(table, section: s, ["timezone", "working_days", "working_hours", "holidays"])
        calendar.zone = try reader.zone(table, "timezone", s) ?? calendar.zone
        if let days = try reader.strings(table, "working_days", s) {
            let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
            calendar.workingDays = try days.map { day in
                guard let index = names.firstIndex(of: day.lowercased().prefix(3).description), day.count >= 3 else {
                    throw reader.failure(s, "working_days", "\"\(day)\" is not a day name (Mon … Sun)")
                }
                return index + 1
            }
        }
        // A list of ranges, or one range as a string (SPEC §7).
        let oneRange = try? reader.string(table, "working_hours", s)
        if let hours = try oneRange.map({ [$0] }) ?? reader.strings(table, "working_hours", s) {
            calendar.workingHours = try hours.map { range in
                guard let parsed = parseHourRange(range) else {
                    throw reader.failure(s, "working_hours", "\"\(range)\" is not a range like \"09:00-18:00\"")
                }
                return parsed
            }
        }
        if let holidays = try reader.strings(table, "holidays", s) {
            calendar.holidays = try holidays.map { day in
                guard let instant = TimeParsing.instant(day, zone: .utc), day.count == 10 else {
                    throw reader.failure(s, "holidays", "\"\(day)\" is not a date like 2026-12-31")
                }
                return CivilTime(secondsAsIfUTC: instant)
            }
        }
    }

    static func parseHourRange(_ text: String) -> Range<Int>? {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2 else { return nil }
        func minutes(_ hhmm: String) -> Int? {
            let pieces = hhmm.split(separator: ":")
            guard pieces.count == 2, let h = Int(pieces[0]), let m = Int(pieces[1]), (0...24).contains(h), (0...59).contains(m),
                  h * 60 + m <= 1440 else { return nil }
            return h * 60 + m
        }
        guard let from = minutes(parts[0]), let to = minutes(parts[1]), from < to else { return nil }
        return from..<to
    }

    private static func parseSource(_ table: TOMLTable, index: Int, reader: inout Reader) throws -> SourceConfiguration {
        let s = "source #\(index + 1)"
        reader.arrayTable = ("source", index)
        defer { reader.arrayTable = nil }
        guard let kindText = try reader.string(table, "kind", s) else {
            throw reader.failure(s, "kind", "is required: \"spool\", \"ami\" or \"socket\"")
        }
        guard let kind = SourceKind(rawValue: kindText), kind != .command else {
            throw reader.failure(s, "kind", "\"\(kindText)\" is not one of \"spool\", \"ami\", \"socket\"")
        }
        var common = ["kind", "name", "dialect", "time_zone"]
        switch kind {
        case .spool: common += ["path", "files", "columns"]
        case .ami: common += ["host", "port", "username", "secret_file"]
        case .socket: common += ["listen", "columns", "allow_remote"]
        case .command: break  // refused above
        }
        if kind != .ami { common += mappedKeys }
        try reader.onlyKeys(table, section: s, common)
        var source = SourceConfiguration(name: "", kind: kind)
        if let dialect = try reader.string(table, "dialect", s) {
            guard let value = Dialect(rawValue: dialect) else {
                throw reader.failure(s, "dialect", "\"\(dialect)\" is not one of asterisk, freeswitch, mapped, ami")
            }
            source.dialect = value
        } else if kind == .ami {
            source.dialect = .ami
        }
        source.timeZone = try reader.zone(table, "time_zone", s)
        switch kind {
        case .spool:
            guard let path = try reader.string(table, "path", s), !path.isEmpty else {
                throw reader.failure(s, "path", "is required for a spool source: the directory to watch")
            }
            source.path = path
            source.files = try reader.string(table, "files", s) ?? source.files
            source.name = "spool:\(path)"
        case .ami:
            source.host = try reader.string(table, "host", s) ?? source.host
            source.port = try reader.int(table, "port", s, min: 1) ?? source.port
            source.username = try reader.string(table, "username", s) ?? ""
            source.secretFile = try reader.string(table, "secret_file", s) ?? ""
            source.name = "ami:\(source.host):\(source.port)"
        case .socket:
            source.allowRemote = try reader.bool(table, "allow_remote", s) ?? false
            if let listen = try reader.string(table, "listen", s) {
                guard let address = ListenAddress(listen) else {
                    throw reader.failure(s, "listen", "\"\(listen)\" is neither unix:/absolute/path nor host:port")
                }
                source.listen = address
            }
            let address = source.listen
            guard address.isLoopback || source.allowRemote else {
                throw reader.failure(s, "listen", "\(address) can be reached from other machines; "
                                     + "set allow_remote = true if that is meant (the socket has no authentication)")
            }
            guard [.asterisk, .ami].contains(source.dialect) else {
                throw reader.failure(s, "dialect", "a socket source reads \"asterisk\" CSV lines or \"ami\" blocks")
            }
            source.name = "socket:\(source.listen)"
        case .command: break
        }
        if let value = table["columns"] {
            if let text = value.string {
                guard text == "auto" else { throw reader.failure(s, "columns", "must be \"auto\" or a list of column names") }
            } else {
                let names = try reader.strings(table, "columns", s) ?? []
                let columns = try names.map { name in
                    guard let column = AsteriskOptionalColumn(rawValue: name) else {
                        throw reader.failure(s, "columns", "\"\(name)\" is not one of uniqueid, userfield, peeraccount, linkedid, sequence")
                    }
                    return column
                }
                guard AsteriskDecoder.validLayouts.contains(columns) else {
                    throw reader.failure(s, "columns", "cdr_csv never writes the columns \(names) in this order")
                }
                source.columns = columns
            }
        }
        source.name = try reader.string(table, "name", s) ?? source.name
        let mappedKeysPresent = mappedKeys.filter { table[$0] != nil }
        if source.dialect == .mapped {
            source.mapping = try parseMapping(table, section: s, reader: reader)
        } else if let key = mappedKeysPresent.first {
            throw reader.failure(s, key, "belongs to dialect \"mapped\"; this source reads \"\(source.dialect.rawValue)\"")
        }
        return source
    }

    private static let mappedKeys = ["mapping", "results", "timestamp_format", "separator"]

    /// `dialect = "mapped"`: `[source.mapping]` (field = "Header" or position), the timestamp
    /// format, the separator and `[source.results]` (disposition = ["PBX word", …]).
    private static func parseMapping(_ table: TOMLTable, section s: String, reader: Reader) throws -> ColumnMapping {
        guard let columnsTable = try reader.table(table, "mapping") else {
            throw reader.failure(s, "mapping", "dialect \"mapped\" needs a [source.mapping] table: field = \"Header\" or position")
        }
        let known = ColumnMapping.Field.allCases.map(\.rawValue)
        try reader.onlyKeys(columnsTable, section: "\(s) mapping", known)
        var columns: [ColumnMapping.Field: ColumnMapping.Column] = [:]
        for key in columnsTable.keys {
            let field = ColumnMapping.Field(rawValue: key)!
            let value = columnsTable[key]!
            if let name = value.string {
                columns[field] = .header(name)
            } else if let position = value.int, position >= 1 {
                columns[field] = .position(position)
            } else {
                throw reader.failure("\(s) mapping", key, "must be a header name (string) or a column position from 1")
            }
        }
        var mapping = ColumnMapping(columns: columns)
        if let problem = mapping.problem { throw reader.failure("\(s) mapping", nil, problem) }
        if let format = try reader.string(table, "timestamp_format", s) {
            switch TimestampFormat.parse(format) {
            case .success(let parsed): mapping.timestampFormat = parsed
            case .failure(let failure): throw reader.failure(s, "timestamp_format", failure.reason)
            }
        }
        if let separator = try reader.string(table, "separator", s) {
            guard separator.utf8.count == 1, let byte = separator.utf8.first, byte != 34, byte != 10 else {
                throw reader.failure(s, "separator", "must be one character such as \",\" or \";\"")
            }
            mapping.separator = byte
        }
        if let results = try reader.table(table, "results") {
            let words: [String: Disposition] = ["answered": .answered, "no_answer": .noAnswer, "busy": .busy,
                                                "failed": .failed, "congestion": .congestion]
            try reader.onlyKeys(results, section: "\(s) results", Array(words.keys).sorted())
            var table: [String: Disposition] = [:]
            for (key, disposition) in words {
                for word in try reader.strings(results, key, "\(s) results") ?? [] { table[word.lowercased()] = disposition }
            }
            mapping.results = table
        }
        return mapping
    }
}

/// Typed access to TOML values with errors that say where.
struct Reader {
    let lines: [Substring]
    let file: String
    /// The `[[source]]` or `[[webhook]]` being read: its lines are found by counting headers.
    var arrayTable: (name: String, index: Int)?

    init(text: String, file: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        self.file = file
    }

    func failure(_ section: String?, _ key: String?, _ reason: String) -> ConfigurationError {
        let place = [section.map { "[\($0)]" }, key].compactMap { $0 }.joined(separator: " ")
        // A key that is missing has no line of its own: its section's header is where it belongs.
        let found = line(section: section, key: key) ?? (key == nil ? nil : line(section: section, key: nil))
        return ConfigurationError(file: file, line: found, reason: place.isEmpty ? reason : "\(place): \(reason)")
    }

    /// The line of `key = …` inside the section's header, found in the text; TOMLKit keeps
    /// no positions for values.
    func line(section: String?, key: String?) -> Int? {
        let header = arrayTable?.name ?? section
        var current: String? = nil
        var seen = -1
        let wanted = arrayTable?.index
        for (index, raw) in lines.enumerated() {
            let text = raw.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[[") {
                current = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                if current == header { seen += 1 }
                if key == nil, current == header, wanted == nil || wanted == seen { return index + 1 }
                continue
            }
            if text.hasPrefix("[") {
                current = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                // [source.mapping] and [source.results] belong to the [[source]] above them.
                if current?.hasPrefix("source.") == true { current = "source"; continue }
                if key == nil, current == header { return index + 1 }
                continue
            }
            guard let key, current == header, wanted == nil || wanted == seen else { continue }
            if text.hasPrefix(key), text.dropFirst(key.count).trimmingCharacters(in: .whitespaces).hasPrefix("=") {
                return index + 1
            }
        }
        return nil
    }

    func onlyKeys(_ table: TOMLTable, section: String?, _ allowed: [String]) throws {
        for key in table.keys where !allowed.contains(key) {
            if section == nil {
                throw failure(key, nil, "unknown section; known: \(allowed.joined(separator: ", "))")
            }
            throw failure(section, key, "unknown key; known: \(allowed.joined(separator: ", "))")
        }
    }

    /// `[[key]]`: its tables, none when absent.
    func arrayOfTables(_ root: TOMLTable, _ key: String) throws -> [TOMLTable] {
        guard let value = root[key] else { return [] }
        guard let array = value.array else { throw failure(key, nil, "must be an array of tables: write [[\(key)]]") }
        return try array.map { element in
            guard let table = element.table else { throw failure(key, nil, "must be tables") }
            return table
        }
    }

    func table(_ table: TOMLTable, _ key: String) throws -> TOMLTable? {
        guard let value = table[key] else { return nil }
        guard let result = value.table else { throw failure(key, nil, "must be a table") }
        return result
    }

    func string(_ table: TOMLTable, _ key: String, _ section: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let text = value.string else { throw failure(section, key, "must be a string, not \(value.type)") }
        return text
    }

    func zone(_ table: TOMLTable, _ key: String, _ section: String) throws -> ZoneConverter? {
        guard let name = try string(table, key, section) else { return nil }
        guard let converter = ZoneConverter(identifier: name) else {
            throw failure(section, key, "unknown time zone \"\(name)\"; use an IANA name such as Europe/Moscow")
        }
        return converter
    }

    func digits(_ table: TOMLTable, _ key: String, _ section: String) throws -> String? {
        guard let text = try string(table, key, section) else { return nil }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw failure(section, key, "\"\(text)\" must hold digits only (write it as a string, e.g. \"7\")")
        }
        return text
    }

    func int(_ table: TOMLTable, _ key: String, _ section: String, min: Int) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let number = value.int else { throw failure(section, key, "must be an integer, not \(value.type)") }
        guard number >= min else { throw failure(section, key, "must be at least \(min)") }
        return number
    }

    func bool(_ table: TOMLTable, _ key: String, _ section: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let flag = value.bool else { throw failure(section, key, "must be true or false, not \(value.type)") }
        return flag
    }

    func strings(_ table: TOMLTable, _ key: String, _ section: String) throws -> [String]? {
        guard let value = table[key] else { return nil }
        guard let array = value.array else { throw failure(section, key, "must be an array of strings") }
        return try array.map { element in
            guard let text = element.string else { throw failure(section, key, "must be an array of strings") }
            return text
        }
    }
}
