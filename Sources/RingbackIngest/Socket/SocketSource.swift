import Foundation
import Logging
import NIOCore
import NIOPosix
import RingbackConfig
import RingbackCore
import ServiceLifecycle
import Synchronization

/// CSV lines or AMI blocks pushed by the PBX or a script (`kind = "socket"`). Each
/// connection is read on its own; a record may arrive in any number of packets. A
/// connection holds at most one record's worth of unread bytes: a writer that sends more
/// than 64 KiB without ending a record is refused and disconnected, the others go on.
///
/// There is no acknowledgement: what a writer sent before the daemon died may be lost
/// unless it sends it again, which is harmless, since a CDR is stored once.
public struct SocketSource: Service {
    let address: ListenAddress
    /// A listening socket systemd passed (socket activation), used instead of binding.
    let passedDescriptor: Int32?
    let context: SourceContext
    let sink: any RecordSink
    let logger: Logger
    let recordLimit = LineSplitter.maximumRecordLength
    /// A bind that failed (the path's directory is read-only, the port is taken) is tried
    /// again after this long.
    var retryAfter: Duration = .seconds(5)

    public init(address: ListenAddress, passedDescriptor: Int32?, context: SourceContext, sink: any RecordSink,
                logger: Logger) {
        self.address = address
        self.passedDescriptor = passedDescriptor
        self.context = context
        self.sink = sink
        self.logger = logger
    }

    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// Listens until cancelled or the service group shuts down gracefully; a failed bind
    /// is reported and tried again.
    public func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await listen()
                } catch {
                    if Task.isCancelled { return }
                    logger.error("socket source failed: \(error)", metadata: ["source": "\(context.name)"])
                    await sink.report(.failing, error: "\(error)", of: context)
                }
                try? await Task.sleep(for: retryAfter)
            }
        }
    }

    /// Binds (or takes the passed socket) and serves connections until cancelled.
    func listen() async throws {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        let initializer: @Sendable (Channel) -> EventLoopFuture<Connection> = { channel in
            channel.eventLoop.makeCompletedFuture { try Connection(wrappingChannelSynchronously: channel) }
        }
        let server: NIOAsyncChannel<Connection, Never>
        if let passedDescriptor {
            server = try await bootstrap.bind(passedDescriptor, childChannelInitializer: initializer)
        } else {
            switch address {
            case .unix(let path):
                try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                         withIntermediateDirectories: true)
                server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true,
                                                  childChannelInitializer: initializer)
                // Writers are the PBX's user or a script in the ringback group.
                chmod(path, 0o660)
            case .tcp(let host, let port):
                server = try await bootstrap.bind(host: host, port: port, childChannelInitializer: initializer)
            }
        }
        await sink.report(.ok, error: nil, of: context)
        logger.info("listening on \(address)\(passedDescriptor == nil ? "" : " (socket from systemd)")",
                    metadata: ["source": "\(context.name)"])
        let counter = Atomic<Int>(0)
        try await server.executeThenClose { connections in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in connections {
                    let number = counter.add(1, ordering: .relaxed).newValue
                    group.addTask { await serve(connection, number: number) }
                }
            }
        }
    }

    /// Reads one writer's records until it closes; a partial last record counts when the
    /// writer closes after it.
    private func serve(_ connection: Connection, number: Int) async {
        let file = "\(context.name)#\(number)"
        do {
            try await connection.executeThenClose { inbound, outbound in
                var decoder = try context.makeDecoder()
                var buffer: [UInt8] = []
                var line = 1
                for try await chunk in inbound {
                    buffer.append(contentsOf: chunk.readableBytesView)
                    let consumed = try await commit(&buffer, line: &line, file: file, final: false, decoder: &decoder)
                    if consumed == 0, buffer.count > recordLimit {
                        let reason = "more than \(recordLimit / 1024) KiB without the end of a record; connection closed"
                        var batch = RecordBatch(source: context, file: file)
                        batch.rejected = [RejectedRecord(file: file, line: line, reason: reason, raw: Array(buffer.prefix(1024)))]
                        _ = try await sink.commit(batch)
                        logger.warning("writer refused: \(reason)", metadata: ["source": "\(context.name)", "file": "\(file)"])
                        try? await outbound.write(ByteBuffer(string: "ERROR \(reason)\n"))
                        return
                    }
                }
                _ = try await commit(&buffer, line: &line, file: file, final: true, decoder: &decoder)
            }
        } catch {
            logger.warning("connection ended: \(error)", metadata: ["source": "\(context.name)", "file": "\(file)"])
        }
    }

    /// Decodes and commits the complete records at the front of `buffer`; returns the bytes taken.
    private func commit(_ buffer: inout [UInt8], line: inout Int, file: String, final: Bool,
                        decoder: inout any CDRDecoder) async throws -> Int {
        var batch = RecordBatch(source: context, file: file)
        let consumed = batch.take(from: &buffer, line: &line, final: final, decoder: &decoder)
        if !batch.legs.isEmpty || !batch.rejected.isEmpty { _ = try await sink.commit(batch) }
        return consumed
    }
}
