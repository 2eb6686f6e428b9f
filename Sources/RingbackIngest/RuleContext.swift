import RingbackConfig
import RingbackCore

/// Everything the pipeline derives from the configuration and the current directory:
/// rebuilt whenever the directory changes.
public struct RuleContext: Sendable {
    public let configuration: RingbackConfiguration
    public let directory: Directory
    public let classifier: CallClassifier
    public let rules: CallbackRules
    /// Nil without a working calendar: then silence is never an alert.
    public let silence: PBXSilence?

    public init(configuration: RingbackConfiguration, directory: Directory) throws {
        self.configuration = configuration
        self.directory = directory
        let extensions = ExtensionMatcher(pattern: configuration.numbers.extensionPattern,
                                          listed: directory.listedExtensions(in: configuration.office))
        classifier = CallClassifier(settings: configuration.calls, numbers: configuration.numbers, extensions: extensions,
                                    staff: StaffNumbers(directory, office: configuration.office), office: configuration.office)
        let workingTime: any WorkingTime = configuration.workingCalendar ?? WallClockTime()
        silence = configuration.workingCalendar.map { PBXSilence(minutes: configuration.alerts.pbxSilentAfter, workingTime: $0) }
        let sla = SLAPolicy(minutesA: configuration.sla.a, minutesB: configuration.sla.b, minutesC: configuration.sla.c,
                            minutesUnknown: configuration.sla.unknown, workingTime: workingTime)
        let ignored = Set(configuration.contacts.ignore.compactMap(configuration.numbers.normalize))
        rules = CallbackRules(settings: RuleSettings(sla: sla, graceMinutes: configuration.contacts.grace,
                                                     allExtensions: configuration.contacts.allExtensions, ignored: ignored))
    }

    public var headID: String? { directory.head?.id }
}
