import MeshConfig
import MeshSyntax

/// The quick fixes at a range (`textDocument/codeAction`): the fixes the checks attach to
/// their diagnostics (did-you-mean replacements, removing a duplicate or shadowed rule,
/// `https://`, ...), for the diagnostics that touch the range. ``CodeActionHandler``
/// encodes them as LSP code actions.
enum QuickFixes {
    /// One quick fix and the diagnostic it resolves.
    struct Action: Sendable, Equatable {
        var diagnostic: Diagnostic
        var fix: Fix
        /// The only fix of its diagnostic, which an editor may apply with one key.
        var isPreferred: Bool
    }

    /// The fixes of every diagnostic whose range overlaps or touches `range`, each
    /// followed by "Suppress DMxxx on this line" (docs/guide/suppressions.md) where a
    /// comment can suppress the code.
    static func actions(for range: ByteRange, in analysis: DocumentAnalysis) -> [Action] {
        let commentsAllowed = analysis.tree.dialect != .strict
        return analysis.diagnostics
            .filter { $0.range.start <= range.end && range.start <= $0.range.end }
            .flatMap { diagnostic in
                var actions = diagnostic.fixes.map {
                    Action(diagnostic: diagnostic, fix: $0, isPreferred: diagnostic.fixes.count == 1)
                }
                if commentsAllowed,
                    let suppress = SuppressionComment.insertion(suppressing: diagnostic, in: analysis.source)
                {
                    actions.append(Action(diagnostic: diagnostic, fix: suppress, isPreferred: false))
                }
                return actions
            }
    }
}
