import Foundation
import Logging
import NIOCore
import NIOPosix
import RingbackCore
import ServiceLifecycle
import Synchronization

/// Why an AMI link ended; what `ringback status` and the log say.
enum AMILinkError: Error, CustomStringConvertible {
    case loginRefused(String)
    case notAMI(String)
    case closedByPeer
    case silent(Duration)
    case oversized

    var description: String {
        switch self {
        case .loginRefused(let message): "login refused by the PBX: \(message)"
        case .notAMI(let banner): "the peer is not an Asterisk Manager Interface (it said \"\(banner.prefix(80))\")"
        case .closedByPeer: "the PBX closed the connection"
        case .silent(let after): "nothing heard for \(after.components.seconds) s (not even a Pong): the link is dead"
        case .oversized: "an AMI message longer than 1 MiB: not a PBX"
        }
    }
}

/// The Asterisk Manager Interface as a client (SPEC §1.2): log in, read `Event: Cdr`, ping,
/// and connect again with a growing pause whenever the link ends. AMI keeps no backlog: a
/// CDR written while the link is down is not sent again, which is why Master.csv stays the
/// reference and the same CDR from both is stored once.
public struct AMISource: Service {
    let settings: AMISettings
    let policy: ReconnectPolicy
    let context: SourceContext
    let sink: any RecordSink
    let clock: RingbackClock
    let logger: Logger
    /// The call requests this link sends (`[originate] ami` names it), else nil.
    let calls: (any CallRequestQueue)?

    public init(settings: AMISettings, policy: ReconnectPolicy = ReconnectPolicy(), context: SourceContext,
                sink: any RecordSink, calls: (any CallRequestQueue)? = nil, clock: RingbackClock = .system, logger: Logger) {
        self.settings = settings
        self.policy = policy
        self.context = context
        self.sink = sink
        self.calls = calls
        self.clock = clock
        self.logger = logger
    }

    private var metadata: Logger.Metadata { ["source": "\(context.name)"] }

    /// Connects, reads, and connects again, until cancelled or the service group shuts
    /// down gracefully.
    public func run() async {
        await cancelWhenGracefulShutdown { await connectAgainAndAgain() }
    }

    private func connectAgainAndAgain() async {
        let down = AMILinkDown(host: settings.host, port: settings.port, zone: context.zone)
        var failures = 0
        var retryingSince: Int64?
        while !Task.isCancelled {
            var loggedIn = false
            let reason: String
            var refused = false
            do {
                try await session { loggedIn = true }
                reason = AMILinkError.closedByPeer.description
            } catch {
                if case .loginRefused? = error as? AMILinkError { refused = true }
                reason = down.reason(error)
            }
            // What was sent and not answered may have rung a phone: it fails, and is never sent again.
            try? await calls?.failSentCallRequests(olderThanTimeoutPlus: nil,
                                                   reason: "the AMI link dropped before the PBX answered (\(reason)): not sent again")
            if Task.isCancelled { return }
            if loggedIn {
                failures = 0
                retryingSince = nil
            }
            failures += 1
            let now = clock.wallSeconds()
            let since = retryingSince ?? now
            retryingSince = since
            let pause = policy.delay(afterFailures: failures, loginRefused: refused)
            let seconds = Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18
            let detail = down.sentence(reason: reason, since: since, now: now, nextAttemptIn: seconds)
            await sink.report(refused ? .loginRefused : .retrying, error: detail, of: context)
            logger.warning("AMI link down: \(detail)", metadata: metadata)
            try? await Task.sleep(for: pause)
        }
    }

    /// One connection: banner, login, then CDR events until the link ends (always by an error).
    private func session(loggedIn: () -> Void) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.nanoseconds(Int64(settings.connectTimeout.components.seconds) * 1_000_000_000))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var stream = AMIStream(inbound.makeAsyncIterator(), context: context, readsAnswers: calls != nil)
            guard let banner = try await stream.nextMessage() else { throw AMILinkError.closedByPeer }
            guard banner.fields.isEmpty, stream.lastText.hasPrefix("Asterisk Call Manager") else {
                throw AMILinkError.notAMI(stream.lastText)
            }
            try await outbound.write(ByteBuffer(string: AMIMessage.action([
                ("Action", "Login"), ("ActionID", "ringback-login"), ("Username", settings.username),
                // The OriginateResponse of a call request is a `call`-class event.
                ("Secret", settings.secret), ("Events", calls == nil ? "cdr" : "cdr,call"),
            ])))
            while true {
                guard let reply = try await stream.nextMessage() else { throw AMILinkError.closedByPeer }
                guard reply["ActionID"] == "ringback-login", let response = reply["Response"] else { continue }
                guard response.lowercased() == "success" else {
                    throw AMILinkError.loginRefused(reply["Message"] ?? response)
                }
                break
            }
            loggedIn()
            await sink.report(.connected, error: nil, of: context)
            logger.info("AMI connected to \(settings.host):\(settings.port)", metadata: metadata)

            let watch = LinkWatch(clock: clock)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await keepAlive(outbound, channel: channel.channel, watch: watch) }
                if let calls { group.addTask { try await sendCallRequests(calls, outbound) } }
                defer { group.cancelAll() }
                while let batch = try await stream.nextBatch(heard: watch.heard) {
                    // Answers first: a DialEnd read with its call's Cdr must be in the store
                    // before the call is judged.
                    for answer in stream.takeAnswers() { try await record(answer) }
                    if !batch.legs.isEmpty || !batch.rejected.isEmpty { _ = try await sink.commit(batch) }
                }
                if let silence = watch.deadAfter { throw AMILinkError.silent(silence) }
                throw AMILinkError.closedByPeer
            }
        }
    }

    /// Sends the call requests filed meanwhile, a few times a second, and fails those the
    /// PBX left unanswered past their ringing time.
    private func sendCallRequests(_ calls: any CallRequestQueue, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        while !Task.isCancelled {
            for request in try await calls.claimCallRequests() {
                // Checked when it was filed; checked again, since the store is writable by others.
                let fields = request.action.fields(actionID: request.actionID, channelID: request.channelID)
                guard fields.allSatisfy({ OriginateAction.isSafe($0.1) }) else {
                    try await calls.finishCallRequest(request.requestID, connected: false,
                                                      reason: "not sent: a value holds a line break or &")
                    continue
                }
                try await outbound.write(ByteBuffer(string: AMIMessage.action(fields)))
                logger.info("originate sent", metadata: metadata.merging(["request": "\(request.requestID)",
                                                                          "channel": "\(request.action.channel)"]) { $1 })
            }
            try await calls.failSentCallRequests(olderThanTimeoutPlus: CallRequest.answerGraceSeconds,
                                                 reason: "the PBX never answered the Originate")
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    /// The PBX's word on a call request, into the store.
    private func record(_ answer: OriginateAnswer) async throws {
        guard let calls else { return }
        switch answer {
        case .accepted: break
        case .refused(let id, let reason), .failed(let id, let reason):
            try await calls.finishCallRequest(id, connected: false, reason: reason)
            logger.warning("originate failed: \(reason)", metadata: metadata.merging(["request": "\(id)"]) { $1 })
        case .connected(let id):
            try await calls.finishCallRequest(id, connected: true, reason: nil)
        case .dialEnded(let id, let status):
            try await calls.recordDialEnd(ofCallRequest: id, status: status)
        }
    }

    /// Pings on schedule; closes the channel when nothing was heard for `deadAfter`, which
    /// ends the reader.
    private func keepAlive(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: Channel,
                           watch: LinkWatch) async throws {
        let check = min(settings.pingInterval, settings.deadAfter) / 4
        var lastPing = clock.monotonicMilliseconds()
        var number = 0
        while !Task.isCancelled {
            try await Task.sleep(for: check)
            if watch.silence > settings.deadAfter {
                watch.markDead(after: settings.deadAfter)
                channel.close(promise: nil)
                return
            }
            if .milliseconds(clock.monotonicMilliseconds() - lastPing) >= settings.pingInterval {
                number += 1
                try await outbound.write(ByteBuffer(string: AMIMessage.action([("Action", "Ping"), ("ActionID", "ringback-ping-\(number)")])))
                lastPing = clock.monotonicMilliseconds()
            }
        }
    }
}

/// When the link last carried anything, shared by the reader and the pinger.
final class LinkWatch: Sendable {
    private let clock: RingbackClock
    /// Monotonic milliseconds of the last bytes heard, and the silence that ended the link.
    private let state: Mutex<(heard: Int64, deadAfter: Duration?)>

    init(clock: RingbackClock) {
        self.clock = clock
        state = Mutex((clock.monotonicMilliseconds(), nil))
    }

    func heard() {
        let now = clock.monotonicMilliseconds()
        state.withLock { $0.heard = now }
    }
    var silence: Duration { .milliseconds(clock.monotonicMilliseconds() - state.withLock { $0.heard }) }
    func markDead(after: Duration) { state.withLock { $0.deadAfter = after } }
    var deadAfter: Duration? { state.withLock { $0.deadAfter } }
}

/// The bytes of one AMI connection cut into messages, however the packets split them.
struct AMIStream {
    var iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let context: SourceContext
    var buffer: [UInt8] = []
    var line = 1
    var decoder: any CDRDecoder
    /// The text of the last message `nextMessage` returned (the banner has no fields).
    var lastText = ""
    /// The PBX's answers to call requests among the messages read so far; looked for only
    /// on the link that sends them, the others frame each message once.
    private var answers: [OriginateAnswer] = []
    private let readsAnswers: Bool
    static let limit = 1 << 20

    init(_ iterator: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, context: SourceContext, readsAnswers: Bool) {
        self.iterator = iterator
        self.context = context
        self.readsAnswers = readsAnswers
        decoder = (try? context.makeDecoder()) ?? AMIDecoder(zone: .utc)
    }

    /// The next whole message, nil when the peer closed. Only its own bytes are taken: what
    /// follows stays for `nextBatch`.
    mutating func nextMessage() async throws -> AMIMessage? {
        struct Found: Error { var message: AMIMessage; var text: String; var end: Int }
        while true {
            do {
                _ = try buffer.withUnsafeBufferPointer { bytes in
                    try AMIFramer.forEachMessage(in: bytes, firstLine: line, final: false) { slice in
                        throw Found(message: AMIMessage(slice.bytes), text: String(decoding: slice.bytes, as: UTF8.self),
                                    end: slice.endOffset)
                    }
                }
            } catch let found as Found {
                line += buffer[..<found.end].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                buffer.removeFirst(found.end)
                lastText = found.text
                return found.message
            }
            guard try await read() else { return nil }
        }
    }

    /// The CDRs of the messages complete so far, as a batch for the pipeline; it waits for
    /// more bytes when none is complete, and returns nil when the link ended.
    mutating func nextBatch(heard: () -> Void) async throws -> RecordBatch? {
        while true {
            var batch = RecordBatch(source: context, file: context.name)
            // The answers to call requests first, from the same whole messages the batch takes.
            if readsAnswers {
                buffer.withUnsafeBufferPointer { bytes in
                    _ = AMIFramer.forEachMessage(in: bytes, firstLine: line, final: false) { slice in
                        if let answer = OriginateAnswer(AMIMessage(slice.bytes)) { answers.append(answer) }
                    }
                }
            }
            if batch.take(from: &buffer, line: &line, final: false, decoder: &decoder) > 0 { return batch }
            guard try await read() else { return nil }
            heard()
        }
    }

    /// The answers found since the last call.
    mutating func takeAnswers() -> [OriginateAnswer] {
        defer { answers = [] }
        return answers
    }

    private mutating func read() async throws -> Bool {
        guard var chunk = try await iterator.next() else { return false }
        buffer.append(contentsOf: chunk.readBytes(length: chunk.readableBytes) ?? [])
        guard buffer.count <= Self.limit else { throw AMILinkError.oversized }
        return true
    }
}
