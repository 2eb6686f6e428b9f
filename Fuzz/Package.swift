// swift-tools-version:6.2
// libFuzzer targets, one per decoder and one for the configuration parser. A package of
// its own: its executables only link with -sanitize=fuzzer. Run them with scripts/fuzz.sh.
import PackageDescription

let fuzzFlags: [SwiftSetting] = [.unsafeFlags(["-parse-as-library"])]

let package = Package(
    name: "RingbackFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "ringback", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzAsterisk", dependencies: ["FuzzDriver", .product(name: "RingbackCore", package: "ringback")],
                          swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzMapped", dependencies: ["FuzzDriver", .product(name: "RingbackCore", package: "ringback")],
                          swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzAMI", dependencies: ["FuzzDriver", .product(name: "RingbackCore", package: "ringback")],
                          swiftSettings: fuzzFlags),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzDriver", .product(name: "RingbackConfig", package: "ringback")],
                          swiftSettings: fuzzFlags),
    ]
)
