import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import RingbackConfig

/// POSTs one signed body to a webhook and says what came of it. Redirects are not followed
/// and every address the webhook's name resolves to is checked first: a webhook must never
/// reach a link-local or metadata address, however its DNS answers.
struct WebhookSender: Sendable {
    let client: HTTPClient
    /// How long one attempt may take, connection included.
    static let attemptTimeout: TimeAmount = .seconds(15)

    init() {
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(10))))
    }

    func shutdown() async { try? await client.shutdown() }

    /// nil when the receiver answered 2xx; otherwise why not, for the outbox and the log.
    func post(_ body: String, to target: WebhookTarget, signature: String, eventID: String) async -> String? {
        if let refusal = await Self.refusalOfResolvedAddresses(target.host) { return refusal }
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "ringback-web")
        request.headers.add(name: "Ringback-Signature", value: signature)
        request.headers.add(name: "Ringback-Event-Id", value: eventID)
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await client.execute(request, timeout: Self.attemptTimeout)
            // Read (and drop) what the receiver says, so the connection can be used again.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(Int(response.status.code)) ? nil : "HTTP \(response.status.code)"
        } catch {
            return "\(error)"
        }
    }

    /// Why the webhook's host may not be sent to, found in what its name resolves to now.
    static func refusalOfResolvedAddresses(_ host: String) async -> String? {
        let addresses: [String]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try resolve(host) }
        } catch {
            return "cannot resolve \(host): \(error)"
        }
        for address in addresses {
            if let reason = AddressClass.refusal(forHost: address) { return "\(host) resolves to \(address): \(reason)" }
        }
        return nil
    }

    private struct ResolutionError: Error, CustomStringConvertible {
        var description: String
    }

    private static func resolve(_ host: String) throws -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else { throw ResolutionError(description: String(cString: gai_strerror(status))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var entry = list
        while let current = entry {
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(current.pointee.ai_addr, current.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0,
                           NI_NUMERICHOST) == 0 {
                addresses.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            entry = current.pointee.ai_next
        }
        return addresses
    }
}
