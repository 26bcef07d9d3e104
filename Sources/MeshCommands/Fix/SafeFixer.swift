import MeshRouter
import MeshSyntax

/// `check --fix`: applies the safe fixes (``Fix/isSafe``) the editor offers for a file's
/// findings, in passes, until none is left.
///
/// Each pass analyses the text as `check` does, takes the safe fixes of what is shown (a
/// suppressed finding is not fixed), applies those whose edits overlap no fix already
/// taken, and starts again on the result, since removing one rule can leave another
/// fixable. Passes stop when nothing applies or after ``maximumPasses``, as ESLint's do,
/// so fixes that undo each other cannot loop.
enum SafeFixer {
    /// The most passes over one file.
    static let maximumPasses = 10

    /// What fixing one file did.
    struct Outcome: Sendable, Equatable {
        /// The text after every pass.
        var bytes: [UInt8]
        /// How many fixes were applied.
        var applied: Int
    }

    /// Fixes `bytes`, the text of `path` (the path picks the dialect and is not read),
    /// leaving alone the findings of the `ignored` codes (`check --ignore`).
    static func fix(_ bytes: [UInt8], path: String, ignoring ignored: Set<DiagnosticCode> = []) -> Outcome {
        var current = bytes
        var applied = 0
        for _ in 0..<maximumPasses {
            let analysis = ConfigAnalysis(SourceText(bytes: current), path: path)
            let shown = analysis.diagnostics.filter { !ignored.contains($0.code) }
            let chosen = nonOverlapping(shown.flatMap { $0.fixes.filter(\.isSafe) })
            guard !chosen.isEmpty else { break }
            for edit in chosen.flatMap(\.edits).sorted(by: { $0.range.start > $1.range.start }) {
                current.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.newText.utf8))
            }
            applied += chosen.count
        }
        return Outcome(bytes: current, applied: applied)
    }

    /// The fixes to apply together: in document order, each taken only when none of its
    /// edits overlaps or touches an edit already taken (two insertions at one offset
    /// would have no defined order). The rest wait for the next pass.
    static func nonOverlapping(_ fixes: [Fix]) -> [Fix] {
        let ordered = fixes.filter { !$0.edits.isEmpty }.sorted {
            ($0.edits.map(\.range.start).min() ?? 0) < ($1.edits.map(\.range.start).min() ?? 0)
        }
        var taken: [ByteRange] = []
        var chosen: [Fix] = []
        for fix in ordered {
            let clashes = fix.edits.contains { edit in
                taken.contains { $0.start <= edit.range.end && edit.range.start <= $0.end }
            }
            guard !clashes else { continue }
            chosen.append(fix)
            taken += fix.edits.map(\.range)
        }
        return chosen
    }
}
