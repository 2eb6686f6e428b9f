import Foundation
import XCTest

/// Where the repository's fixtures and the shared real-world samples live.
enum FixturePaths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures")
    /// `shared/samples` beside the project's root.
    static let samples = repository.deletingLastPathComponent().appendingPathComponent("shared/samples")

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    /// A real-world sample, or a skip: a clone outside this workplace has no `shared/`.
    static func sample(_ name: String) throws -> URL {
        let url = samples.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("shared/samples/\(name) is not beside the project: skipped")
        }
        return url
    }
}
