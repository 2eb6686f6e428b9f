import Foundation
import XCTest

/// The real-world samples of `shared/samples`, beside the project in this workplace. A clone
/// anywhere else has none: a test that uses one is skipped there, with the reason.
public enum SharedSamples {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/samples")

    public static func url(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("shared/samples/\(name) is not beside the project: skipped")
        }
        return url
    }
}
