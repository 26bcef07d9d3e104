import MeshConfig
import MeshRouter
import MeshSyntax

/// Everything the static checks know about one version of a document.
///
/// It combines the layers the same way `diddy-mesh check` does (schema and semantic
/// checks from MeshConfig, rule checks from the router) so that the editor and the CLI
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
    /// The source text.
    var source: SourceText { document.source }

    /// Analyses `source`; `dialectName` selects `.json` or `.jsonc` rules.
    init(source: SourceText, dialectName: String) {
        document = MeshDocument.analyze(source, path: dialectName)
        // A binary file would produce thousands of syntax errors; one finding says it all.
        if source.bytes.prefix(8192).contains(0) {
            diagnostics = [Diagnostic(.syntaxError, "this is a binary file, not a JSON mesh config", at: .empty(at: 0))]
            return
        }
        let routerFindings = RouterChecks.diagnostics(for: document.config, tree: document.tree)
        diagnostics = (document.diagnostics + routerFindings).sortedForOutput()
    }
}
