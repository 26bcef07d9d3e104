import Foundation
import Testing

/// Golden files: compared exactly, recorded when missing, re-recorded with `DIDDY_RECORD=1`.
enum Golden {
    /// Whether `DIDDY_RECORD=1` asks for every golden file to be written anew.
    static var isRecording: Bool {
        ProcessInfo.processInfo.environment["DIDDY_RECORD"] == "1"
    }

    /// Compares `actual` with the golden file at `url`, recording it when it is missing or
    /// when recording is on. A mismatch fails the test with a line diff.
    static func check(_ actual: String, against url: URL, sourceLocation: SourceLocation = #_sourceLocation) {
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
                output differs from golden file \(url.lastPathComponent) (re-record with DIDDY_RECORD=1):
                \(LineDiff.unified(expected: expected, actual: actual, expectedName: url.lastPathComponent))
                """,
                sourceLocation: sourceLocation
            )
        }
    }
}

/// A small line diff in the style of `diff -u`, enough to see what changed in a golden file.
enum LineDiff {
    /// The changed lines of `actual` against `expected` with two lines of context.
    static func unified(expected: String, actual: String, expectedName: String, context: Int = 2) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Trim the common head and tail so the quadratic table stays small.
        var head = 0
        while head < old.count, head < new.count, old[head] == new[head] { head += 1 }
        var tail = 0
        while tail < old.count - head, tail < new.count - head, old[old.count - 1 - tail] == new[new.count - 1 - tail] { tail += 1 }
        let oldMiddle = Array(old[head..<(old.count - tail)])
        let newMiddle = Array(new[head..<(new.count - tail)])
        var lines = ["--- \(expectedName) (expected)", "+++ actual"]
        let before = old[max(0, head - context)..<head]
        lines.append("@@ line \(head + 1) @@")
        lines += before.map { "  " + $0 }
        if oldMiddle.count * newMiddle.count > 4_000_000 {
            lines += oldMiddle.map { "- " + $0 } + newMiddle.map { "+ " + $0 }
        } else {
            lines += middleDiff(oldMiddle, newMiddle)
        }
        let afterStart = old.count - tail
        lines += old[afterStart..<min(old.count, afterStart + context)].map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    /// A longest-common-subsequence diff of two short line lists.
    private static func middleDiff(_ old: [String], _ new: [String]) -> [String] {
        var table = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [String] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count, j < new.count, old[i] == new[j] {
                result.append("  " + old[i])
                i += 1
                j += 1
            } else if i < old.count, j == new.count || table[i + 1][j] >= table[i][j + 1] {
                result.append("- " + old[i])
                i += 1
            } else {
                result.append("+ " + new[j])
                j += 1
            }
        }
        return result
    }
}
