import ArgumentParser
import RingbackCore
import RingbackIngest

// The closed choices of the command line are Core's enums: ArgumentParser lists them in
// the help and refuses anything else, naming the choices (exit status 1, SPEC §6).

extension AlertKind: ExpressibleByArgument {}
extension APIScope: ExpressibleByArgument {}
extension AlertState: ExpressibleByArgument {}
extension Dialect: ExpressibleByArgument {}
extension DirectoryKind: ExpressibleByArgument {}

extension ZoneConverter: ExpressibleByArgument {
    /// An IANA zone name such as `Europe/Moscow`, or `UTC`.
    public convenience init?(argument: String) { self.init(identifier: argument) }
    public var defaultValueDescription: String { identifier }
}
