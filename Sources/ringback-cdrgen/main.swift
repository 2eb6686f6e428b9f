// ringback-cdrgen: writes realistic Asterisk Master.csv days (21 columns, local time),
// deterministic for a seed: direct calls, ring-all groups, queues with Answer() first and
// agents behind Local/ channels, IVR hang-ups, voicemail, outbound callbacks.
//
//   ringback-cdrgen --rows 1000000 --start 2026-03-02 --seed 7 > Master.csv
import Foundation

struct Generator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state >> 33
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

struct Options {
    var rows = 2000
    var start = "2026-03-02"
    var seed: UInt64 = 1
    var clients = 400
}

var options = Options()
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--rows": options.rows = Int(arguments.next() ?? "") ?? options.rows
    case "--start": options.start = arguments.next() ?? options.start
    case "--seed": options.seed = UInt64(arguments.next() ?? "") ?? options.seed
    case "--clients": options.clients = Int(arguments.next() ?? "") ?? options.clients
    default:
        FileHandle.standardError.write(Data("usage: ringback-cdrgen [--rows N] [--start YYYY-MM-DD] [--seed N] [--clients N]\n".utf8))
        exit(1)
    }
}

let formatter = DateFormatter()
formatter.locale = Locale(identifier: "en_US_POSIX")
formatter.timeZone = TimeZone(identifier: "UTC")
formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
let dayFormatter = DateFormatter()
dayFormatter.locale = formatter.locale
dayFormatter.timeZone = formatter.timeZone
dayFormatter.dateFormat = "yyyy-MM-dd"
guard let firstDay = dayFormatter.date(from: options.start) else {
    FileHandle.standardError.write(Data("--start must be YYYY-MM-DD\n".utf8))
    exit(1)
}

var random = Generator(state: options.seed &* 0x9E37_79B9_7F4A_7C15 &+ 1)
let managers = ["101", "102", "103", "104"]
let everyone = managers + ["105", "106", "200"]
/// Client numbers as the carrier sends them (trunk prefix 8); the sample clients.csv uses the same.
func clientNumber(_ index: Int) -> String { "8916555" + String(format: "%04d", index) }
func strangerNumber(_ gen: inout Generator) -> String { "8903" + String(format: "%07d", gen.below(10_000_000)) }

var channelCounter = 0
@MainActor func channel(_ device: String) -> String {
    channelCounter += 1
    return "PJSIP/\(device)-" + String(format: "%08x", channelCounter)
}
@MainActor func localPair(_ ext: String) -> String {
    channelCounter += 1
    return "Local/\(ext)@from-queue-" + String(format: "%08x", channelCounter)
}
func quote(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

struct Leg {
    var src, dst, context, clid, channel, dstChannel, app, data: String
    var start: Int, answer: Int?, end: Int, billsec: Int, disposition: String
    var uniqueID: String
}

var pending: [(end: Int, line: String)] = []
var written = 0
var uniqueCounter = 0
let out = FileHandle.standardOutput
var buffer = ""

@MainActor func emit(_ legs: [Leg], linkedID: String) {
    // All rows of a call are written together, when the call ends.
    let callEnd = legs.map(\.end).max() ?? 0
    for (sequence, leg) in legs.enumerated() {
        let fields = [quote(""), quote(leg.src), quote(leg.dst), quote(leg.context), quote(leg.clid), quote(leg.channel),
                      quote(leg.dstChannel), quote(leg.app), quote(leg.data),
                      quote(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(leg.start)))),
                      leg.answer.map { quote(formatter.string(from: Date(timeIntervalSince1970: TimeInterval($0)))) } ?? "",
                      quote(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(leg.end)))),
                      String(leg.end - leg.start), String(leg.billsec), quote(leg.disposition), quote("DOCUMENTATION"),
                      quote(leg.uniqueID), quote(""), quote(""), quote(linkedID), String(sequence * 2)]
        pending.append((callEnd, fields.joined(separator: ",")))
    }
}

/// Writes the rows that ended before `time`: Asterisk writes a call's rows when it ends.
@MainActor func flush(before time: Int) {
    // Stable: the rows of one call keep their order.
    pending = pending.enumerated().sorted { ($0.element.end, $0.offset) < ($1.element.end, $1.offset) }.map(\.element)
    var index = 0
    while index < pending.count, pending[index].end < time {
        buffer += pending[index].line + "\n"
        written += 1
        index += 1
    }
    pending.removeFirst(index)
    if buffer.utf8.count > 1 << 20 {
        out.write(Data(buffer.utf8))
        buffer = ""
    }
}

var day = Int(firstDay.timeIntervalSince1970)
let did = "74951112233"
var recentMisses: [String] = []
while written < options.rows {
    var clock = day + 9 * 3600 + random.below(600)
    let closing = day + 19 * 3600
    while clock < closing, written + pending.count < options.rows {
        uniqueCounter += 1
        let linked = "\(clock).\(uniqueCounter)"
        let kind = random.below(100)
        let caller = random.chance(70) ? clientNumber(random.below(options.clients)) : strangerNumber(&random)
        let trunk = channel("trunk")
        let clid = "\"\" <\(caller)>"
        switch kind {
        case 0..<35:  // direct call to one manager
            let ext = managers[random.below(managers.count)]
            let ring = 3 + random.below(20)
            if random.chance(75) {
                let talk = 20 + random.below(400)
                emit([Leg(src: caller, dst: did, context: "from-trunk", clid: clid, channel: trunk, dstChannel: channel(ext),
                          app: "Dial", data: "PJSIP/\(ext),30", start: clock, answer: clock + ring, end: clock + ring + talk,
                          billsec: talk, disposition: "ANSWERED", uniqueID: linked)], linkedID: linked)
            } else {
                var legs = [Leg(src: caller, dst: did, context: "from-trunk", clid: clid, channel: trunk, dstChannel: channel(ext),
                                app: "Dial", data: "PJSIP/\(ext),30", start: clock, answer: nil, end: clock + 30, billsec: 0,
                                disposition: "NO ANSWER", uniqueID: linked)]
                if random.chance(40) {
                    legs.append(Leg(src: caller, dst: did, context: "from-trunk", clid: clid, channel: trunk, dstChannel: "",
                                    app: "VoiceMail", data: "\(ext)@default", start: clock + 30, answer: clock + 30,
                                    end: clock + 55, billsec: 25, disposition: "ANSWERED", uniqueID: linked))
                }
                emit(legs, linkedID: linked)
                recentMisses.append(caller)
            }
        case 35..<55:  // ring-all group
            let answeredBy = random.chance(70) ? managers[random.below(managers.count)] : nil
            let ring = 4 + random.below(15)
            let talk = 30 + random.below(300)
            let legs = managers.map { ext -> Leg in
                let answered = ext == answeredBy
                return Leg(src: caller, dst: did, context: "from-trunk", clid: clid, channel: trunk, dstChannel: channel(ext),
                           app: "Dial", data: managers.map { "PJSIP/\($0)" }.joined(separator: "&") + ",25",
                           start: clock, answer: answered ? clock + ring : nil,
                           end: answered ? clock + ring + talk : clock + (answeredBy == nil ? 25 : ring), billsec: answered ? talk : 0,
                           disposition: answered ? "ANSWERED" : "NO ANSWER", uniqueID: linked)
            }
            emit(legs, linkedID: linked)
            if answeredBy == nil { recentMisses.append(caller) }
        case 55..<75:  // queue, Answer() first, agents through Local/
            let agents = Array(everyone.shuffledPrefix(3, &random))
            let answeredBy = random.chance(65) ? agents[random.below(agents.count)] : nil
            let wait = 5 + random.below(40)
            let talk = 30 + random.below(300)
            let end = clock + wait + (answeredBy == nil ? 0 : talk)
            var legs: [Leg] = []
            let pairs = agents.map { localPair($0) }
            legs.append(Leg(src: caller, dst: did, context: "from-trunk", clid: clid, channel: trunk,
                            dstChannel: pairs[agents.firstIndex(of: answeredBy ?? agents[0])!] + ";1", app: "Queue",
                            data: "sales,t", start: clock, answer: clock + 1, end: end, billsec: end - clock - 1,
                            disposition: "ANSWERED", uniqueID: linked))
            for (index, agent) in agents.enumerated() {
                let answered = agent == answeredBy
                let agentEnd = answered ? end : clock + 3 + min(wait, 15)
                legs.append(Leg(src: caller, dst: agent, context: "from-queue", clid: clid, channel: pairs[index] + ";2",
                                dstChannel: channel(agent), app: "Dial", data: "PJSIP/\(agent),,t", start: clock + 2,
                                answer: clock + 2, end: agentEnd, billsec: agentEnd - clock - 2,
                                disposition: answered ? "ANSWERED" : "NO ANSWER", uniqueID: "\(linked)\(index)"))
            }
            emit(legs, linkedID: linked)
            if answeredBy == nil { recentMisses.append(caller) }
        case 75..<80:  // IVR only, the caller hung up in the menu
            emit([Leg(src: caller, dst: did, context: "from-trunk", clid: clid, channel: trunk, dstChannel: "",
                      app: "BackGround", data: "custom/welcome", start: clock, answer: clock, end: clock + 5 + random.below(20),
                      billsec: 5, disposition: "ANSWERED", uniqueID: linked)], linkedID: linked)
            recentMisses.append(caller)
        default:  // outbound, often a callback of a recent miss
            let ext = managers[random.below(managers.count)]
            let number = !recentMisses.isEmpty && random.chance(70) ? recentMisses.removeFirst() : caller
            let ring = 5 + random.below(20)
            let answered = random.chance(70)
            let talk = answered ? 15 + random.below(300) : 0
            emit([Leg(src: ext, dst: number, context: "from-internal", clid: "\"Manager \(ext)\" <\(ext)>", channel: channel(ext),
                      dstChannel: channel("trunk"), app: "Dial", data: "PJSIP/\(number)@trunk,60", start: clock,
                      answer: answered ? clock + ring : nil, end: clock + ring + talk, billsec: answered ? talk + ring : ring,
                      disposition: answered ? "ANSWERED" : "NO ANSWER", uniqueID: linked)], linkedID: linked)
        }
        if recentMisses.count > 50 { recentMisses.removeFirst(recentMisses.count - 50) }
        clock += 1 + random.below(max(2, 36_000 * 4 / max(1, min(options.rows, 4000))))
        flush(before: clock)
    }
    flush(before: Int.max)
    day += 86_400
}
out.write(Data(buffer.utf8))

extension Array {
    func shuffledPrefix(_ count: Int, _ gen: inout Generator) -> ArraySlice<Element> {
        var copy = self
        for index in copy.indices.reversed() where index > 0 { copy.swapAt(index, gen.below(index + 1)) }
        return copy.prefix(count)
    }
}
