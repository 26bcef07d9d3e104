import Foundation

/// Folders the tests read, found from this file's location so that golden files are
/// recorded into the source tree, not into a copied resource bundle.
enum Paths {
    /// `Tests/MeshCommandsTests`.
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    /// `Tests/MeshCommandsTests/Fixtures`.
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    /// `Tests/MeshCommandsTests/Fixtures/diagnostics`.
    static let diagnosticFixtures = fixtures.appendingPathComponent("diagnostics")
    /// The package root.
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()
    /// `examples/`.
    static let examples = packageRoot.appendingPathComponent("examples")
    /// The shared specification (`../shared/spec`), present in a workspace checkout.
    static let spec = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec")

    /// The bytes of a file, or nil when it cannot be read.
    static func bytes(_ url: URL) -> [UInt8]? {
        FileManager.default.contents(atPath: url.path).map { [UInt8]($0) }
    }
}

/// A scratch directory removed when the value is released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("diddy-mesh-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The path of `relative` inside the directory.
    func path(_ relative: String) -> String {
        url.appendingPathComponent(relative).path
    }

    /// Writes `text` to `relative`, creating folders on the way; returns the path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Writes `bytes` to `relative`, creating folders on the way; returns the path.
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }
}
