import Foundation
import Testing

/// Where the tests find files, from this file's path, so they work from any directory.
public enum TestPaths {
    /// The package root.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // MeshTestSupport
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // package root

    /// The `Fixtures` folder of a test target in the source tree (golden files are
    /// recorded there, not in the copied bundle, so a recording survives the build).
    public static func fixtures(of target: String) -> URL {
        packageRoot.appendingPathComponent("Tests/\(target)/Fixtures")
    }

    /// `../shared` beside the checkout: the spec and the test data. CI always has it; a
    /// user's clone does not, and the tests that need it skip with ``sharedMissing``.
    public static let shared: URL = packageRoot.appendingPathComponent("../shared").standardizedFileURL

    /// A path below `../shared`.
    public static func shared(_ relative: String) -> URL {
        shared.appendingPathComponent(relative)
    }

    /// Whether `relative` exists below `../shared`.
    public static func hasShared(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: shared(relative).path)
    }

    /// Why a test that needs `../shared` did not run.
    public static let sharedMissing: Comment =
        "../shared is absent (a user's clone); this test needs its spec or test data"
}
