import MeshSyntax

/// `textDocument/foldingRange`: objects and arrays that span lines, and runs of comments.
///
/// A container folds from its opening line to the line before its closing bracket, so the
/// bracket stays visible under the fold, as in VS Code's JSON support. One pass over the
/// nodes and one over the tokens; the tree is the version's, already built.
enum FoldingRanges {
    /// One fold, in 0-based lines.
    struct Fold: Sendable, Equatable {
        var startLine: Int
        var endLine: Int
        /// A comment fold (LSP `FoldingRangeKind.Comment`), which editors can fold by default.
        var isComment: Bool
    }

    /// The folds of `tree`, in document order of their first line.
    static func folds(in tree: SyntaxTree) -> [Fold] {
        let lines = tree.source.lineIndex
        var folds: [Fold] = []
        var pending = [tree.root]
        while let node = pending.popLast() {
            let kind = tree.kind(node)
            if kind == .object || kind == .array {
                let range = tree.range(node)
                let start = lines.line(containing: range.start)
                let closing = lines.line(containing: max(range.start, range.end - 1))
                if closing - 1 > start { folds.append(Fold(startLine: start, endLine: closing - 1, isComment: false)) }
            }
            pending.append(contentsOf: tree.children(node))
        }
        folds += commentFolds(in: tree)
        return folds.sorted { ($0.startLine, $0.endLine) < ($1.startLine, $1.endLine) }
    }

    /// Block comments over several lines, and two or more line comments on consecutive
    /// lines with nothing else between them.
    private static func commentFolds(in tree: SyntaxTree) -> [Fold] {
        let lines = tree.source.lineIndex
        var folds: [Fold] = []
        var run: (start: Int, end: Int)?
        func close() {
            if let current = run, current.end > current.start {
                folds.append(Fold(startLine: current.start, endLine: current.end, isComment: true))
            }
            run = nil
        }
        for token in tree.tokens {
            switch token.kind {
            case .lineComment:
                let line = lines.line(containing: Int(token.start))
                if let current = run, current.end + 1 == line {
                    run = (current.start, line)
                } else {
                    close()
                    run = (line, line)
                }
            case .blockComment:
                close()
                let start = lines.line(containing: Int(token.start))
                let end = lines.line(containing: max(Int(token.start), Int(token.end) - 1))
                if end > start { folds.append(Fold(startLine: start, endLine: end, isComment: true)) }
            default:
                close()
            }
        }
        close()
        return folds
    }
}
