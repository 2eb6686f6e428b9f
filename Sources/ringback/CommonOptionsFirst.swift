/// SPEC §6: the common options may stand before the subcommand's name as well as after it
/// (`ringback --config c.toml pending` is `ringback pending --config c.toml`). Argument
/// parser reads options where the command that declares them stands, so those written
/// before the first subcommand are moved after the whole command line.
enum CommonOptionsFirst {
    /// The options every command takes, each with one value.
    static let names: Set<String> = ["--config", "--db", "--at", "--format"]

    static func reordered(_ arguments: [String]) -> [String] {
        var moved: [String] = []
        var rest: [String] = []
        var index = 0
        var beforeSubcommand = true
        while index < arguments.count {
            let argument = arguments[index]
            if beforeSubcommand, argument.hasPrefix("--") {
                let name = String(argument.prefix { $0 != "=" })
                if names.contains(name) {
                    if argument.contains("=") {
                        moved.append(argument)
                    } else if index + 1 < arguments.count {
                        moved += [argument, arguments[index + 1]]
                        index += 1
                    } else {
                        moved.append(argument)
                    }
                    index += 1
                    continue
                }
            }
            if !argument.hasPrefix("-") { beforeSubcommand = false }
            rest.append(argument)
            index += 1
        }
        return rest + moved
    }
}
