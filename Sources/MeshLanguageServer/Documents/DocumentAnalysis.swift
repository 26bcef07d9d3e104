import MeshConfig
import MeshRouter
import MeshSyntax

/// Everything the static checks know about one version of a document: the router's
/// ``ConfigAnalysis``, the one `diddy-mesh check` runs, so that the editor and the CLI
/// report the same findings.
struct DocumentAnalysis: Sendable {
    /// The parse, the model and MeshConfig's diagnostics.
    let document: MeshDocument
    /// Every static diagnostic, in document order.
    let diagnostics: [Diagnostic]

    /// The syntax tree.
    var tree: SyntaxTree { document.tree }
    /// The typed model.
    var config: MeshConfig { document.config }
    /// The `lint` section and `diddy-mesh-ignore` comments, applied to live findings too.
    var suppressions: Suppressions { document.suppressions }
    /// The shadow analysis, read by code lenses; nil when it waited for a clean parse.
    var shadowing: ShadowMemo? { memo.shadowing }
    /// What the next version reuses.
    let memo: AnalysisMemo

    /// The source text.
    var source: SourceText { document.source }

    /// Analyses `source`; `dialectName` selects `.json` or `.jsonc` rules, and `previous`
    /// is what an earlier version left, reused where it still holds.
    init(source: SourceText, dialectName: String, previous: AnalysisMemo? = nil) {
        let analysis = ConfigAnalysis(source, path: dialectName, previous: previous, keepingMemo: true)
        document = analysis.document
        diagnostics = analysis.diagnostics
        memo = analysis.memo
    }
}
