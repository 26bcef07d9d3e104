import Foundation
import MeshSyntax
import Testing

/// Golden files: compared exactly, recorded when missing, re-recorded with
/// `DIDDY_RECORD=1`. A mismatch fails the test with a `diff -u` of the two texts
/// (``TextDiff``, the diff of `config diff`), so the lines stay in their order.
public enum Golden {
    /// Whether `DIDDY_RECORD=1` asks for every golden file to be written anew.
    public static var isRecording: Bool {
        ProcessInfo.processInfo.environment["DIDDY_RECORD"] == "1"
    }

    /// Compares `actual` with the golden file at `url`, recording it when it is missing or
    /// when recording is on.
    public static func check(_ actual: String, against url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
        let manager = FileManager.default
        if isRecording || !manager.fileExists(atPath: url.path) {
            do {
                try Data(actual.utf8).write(to: url)
                print("recorded golden file \(url.path)")
            } catch {
                Issue.record("cannot record golden file \(url.path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = manager.contents(atPath: url.path) else {
            Issue.record("cannot read golden file \(url.path)", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if expected != actual {
            Issue.record(
                """
                output differs from golden file \(url.lastPathComponent) (re-record with DIDDY_RECORD=1 if intended):
                \(diff(expected: expected, actual: actual, expectedName: url.lastPathComponent))
                """,
                sourceLocation: sourceLocation
            )
        }
    }

    /// What changed between an expected text and the actual one: `diff -u`, or a note when
    /// the texts are too large for it.
    public static func diff(expected: String, actual: String, expectedName: String) -> String {
        TextDiff.unified(
            old: expected, new: actual, oldName: "\(expectedName) (expected)", newName: "actual", context: 2)
            ?? "(too large to diff: \(expected.utf8.count) bytes expected, \(actual.utf8.count) bytes actual)"
    }
}
