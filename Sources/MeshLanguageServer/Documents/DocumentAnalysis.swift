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
    /// The shadow analysis, reused by the next version and read by code lenses; nil when
    /// it waited for a clean parse.
    let shadowing: ShadowMemo?

    /// The source text.
    var source: SourceText { document.source }

    /// Analyses `source`; `dialectName` selects `.json` or `.jsonc` rules, and `previous`
    /// is the latest shadow analysis of an earlier version, to reuse where it still holds.
    init(source: SourceText, dialectName: String, previous: ShadowMemo? = nil) {
        let analysis = ConfigAnalysis(source, path: dialectName, previous: previous)
        document = analysis.document
        diagnostics = analysis.diagnostics
        shadowing = analysis.shadowing
    }
}
