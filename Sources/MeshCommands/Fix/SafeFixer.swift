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
        // The ranges taken never overlap, so kept sorted by start each edit is checked
        // against its two neighbours only: a file with thousands of fixes stays fast.
        var taken: [ByteRange] = []
        var chosen: [Fix] = []
        for fix in ordered {
            let clashes = fix.edits.contains { edit in
                let index = firstStart(after: edit.range.end, in: taken)
                // The range starting at or before the edit's end is the only one that can
                // reach it; those starting later cannot touch it.
                return index > 0 && taken[index - 1].end >= edit.range.start
            }
            guard !clashes else { continue }
            chosen.append(fix)
            for edit in fix.edits {
                taken.insert(edit.range, at: firstStart(after: edit.range.end, in: taken))
            }
        }
        return chosen
    }

    /// The index of the first range in `sorted` (by start) that starts after `offset`.
    private static func firstStart(after offset: Int, in sorted: [ByteRange]) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].start <= offset { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
