import RingbackStore

/// The web side's connections to the store: one read-only (every GET, inside one read
/// transaction), one for short writes, each used by one request at a time. The daemon
/// stays the store's main writer; these writes wait for its batch like the CLI's do.
actor StoreAccess {
    private let reader: Store
    private let writer: Store

    init(path: String) throws {
        reader = try Store(path: path, create: false, access: .read)
        writer = try Store(path: path, create: false, access: .write)
    }

    func read<T: Sendable>(_ body: (any StoreReading) throws -> T) throws -> T {
        try reader.reading { try body(reader) }
    }

    func write<T: Sendable>(_ body: (any StoreWriting) throws -> T) throws -> T { try body(writer) }
}

/// The secrets file (API keys), used one request at a time.
actor SecretsAccess {
    private let secrets: SecretStore

    init(path: String) throws { secrets = try SecretStore(path: path, create: true) }

    func key(sha256: [UInt8]) throws -> APIKey? { try secrets.key(sha256: sha256) }
}
