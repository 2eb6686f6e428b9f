// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "ringback",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ringbackd", targets: ["ringbackd"]),
        .executable(name: "ringback", targets: ["ringback"]),
        .executable(name: "ringback-web", targets: ["ringback-web"]),
        .executable(name: "ringback-cdrgen", targets: ["ringback-cdrgen"]),
        // For the fuzz targets in Fuzz/, a package of its own (built with -sanitize=fuzzer).
        .library(name: "RingbackCore", targets: ["RingbackCore"]),
        .library(name: "RingbackConfig", targets: ["RingbackConfig"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libpq, PostgreSQL's own client library (SPEC §10), synchronous like the store interface.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // Pure logic: decoding, numbers, call assembly, rules. No I/O, no clock.
        .target(name: "RingbackCore"),
        // The TOML configuration file → typed configuration, with errors that name section and key.
        .target(
            name: "RingbackConfig",
            dependencies: ["RingbackCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // The store: its interface, SQLite (schema, migrations, every SQL statement of the
        // project) and PostgreSQL beside it (PostgreSQL/).
        .target(name: "RingbackStore", dependencies: ["RingbackCore", "CSQLite", "CLibPQ"]),
        // Sources (files, spool directory) and the pipeline that drives Core into the Store.
        .target(
            name: "RingbackIngest",
            dependencies: [
                "RingbackCore", "RingbackConfig", "RingbackStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The head's missed-call report: figures from store rows, text/HTML/CSV/JSON renderers.
        .target(name: "RingbackReport", dependencies: ["RingbackCore", "RingbackStore"]),
        // What people do with the store, once for every door (the CLI, the HTTP API): the
        // listings' objects, the changes, the report.
        .target(
            name: "RingbackOperations",
            dependencies: ["RingbackCore", "RingbackStore", "RingbackReport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The network side: the HTTP API over the same operations, keys, HTTPS, webhooks.
        .target(
            name: "RingbackWeb",
            dependencies: [
                "RingbackCore", "RingbackConfig", "RingbackStore", "RingbackReport", "RingbackOperations", "RingbackIngest",
                "RingbackHooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [
                .embedInCode("openapi.yaml"),
                .embedInCode("Pages/Templates/layout.mustache"), .embedInCode("Pages/Templates/signin.mustache"),
                .embedInCode("Pages/Templates/signinask.mustache"),
                .embedInCode("Pages/Templates/callbackrow.mustache"),
                .embedInCode("Pages/Templates/desk.mustache"), .embedInCode("Pages/Templates/signedout.mustache"),
                .embedInCode("Pages/Templates/callback.mustache"), .embedInCode("Pages/Templates/call.mustache"),
                .embedInCode("Pages/Templates/message.mustache"), .embedInCode("Pages/Templates/alerts.mustache"),
                .embedInCode("Pages/Templates/status.mustache"), .embedInCode("Pages/Templates/board.mustache"),
                .embedInCode("Pages/Templates/wallboard.mustache"), .embedInCode("Pages/Templates/report.mustache"),
                .embedInCode("Pages/Templates/search.mustache"),
                .embedInCode("Pages/Static/desk.css"), .embedInCode("Pages/Static/desk.js"),
            ]
        ),
        // The exec hook: each new alert handed to a configured program, with retries.
        .target(name: "RingbackHooks", dependencies: ["RingbackCore", "RingbackStore"]),
        // systemd: sd_notify, the watchdog, logging to the journal, sockets passed by systemd.
        .target(
            name: "RingbackSystemd",
            dependencies: ["CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "ringbackd",
            dependencies: [
                "RingbackIngest", "RingbackConfig", "RingbackStore", "RingbackHooks", "RingbackSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "ringback",
            dependencies: [
                "RingbackIngest", "RingbackConfig", "RingbackStore", "RingbackReport", "RingbackHooks", "RingbackOperations",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ringback-web",
            dependencies: [
                "RingbackWeb", "RingbackConfig", "RingbackSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Deterministic realistic Asterisk days: sample data, large-file tests, benchmarks.
        .executableTarget(name: "ringback-cdrgen"),
        .testTarget(name: "RingbackCoreTests", dependencies: ["RingbackCore", "RingbackConfig", "RingbackTestSupport"]),
        // What several test targets share: a scripted AMI peer on real TCP, the tests' own
        // PostgreSQL server, a store on either backend.
        .target(name: "RingbackTestSupport", dependencies: ["RingbackCore"], path: "Tests/RingbackTestSupport"),
        .testTarget(name: "RingbackSystemdTests", dependencies: ["RingbackSystemd"]),
        .testTarget(name: "RingbackReportTests", dependencies: ["RingbackReport", "RingbackStore", "RingbackCore"]),
        .testTarget(
            name: "RingbackIngestTests",
            dependencies: [
                "RingbackIngest", "RingbackStore", "RingbackConfig", "RingbackHooks", "RingbackTestSupport",
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "RingbackEndToEndTests",
            dependencies: ["RingbackStore", "RingbackCore", "RingbackTestSupport"]
        ),
    ]
)
