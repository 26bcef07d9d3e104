import MeshSyntax

/// A mesh config analysed end to end: its syntax tree, its typed model and every static
/// diagnostic (syntax, schema and semantic), sorted for output.
public struct MeshDocument: Sendable {
    /// The parse.
    public let tree: SyntaxTree
    /// The typed model.
    public let config: MeshConfig
    /// All static diagnostics in document order.
    public let diagnostics: [Diagnostic]

    /// The source text.
    public var source: SourceText { tree.source }

    /// Analyses `source`. `path` picks the dialect (`.jsonc` or `.json`); it is not read.
    public static func analyze(_ source: SourceText, path: String? = nil, options: ParseOptions? = nil) -> MeshDocument
    {
        let dialect = path.map(JSONDialect.forFile(named:)) ?? .jsonc
        let tree = JSONParser.parse(source, options: options ?? ParseOptions(dialect: dialect))
        return analyze(tree)
    }

    /// Analyses an already parsed tree.
    public static func analyze(_ tree: SyntaxTree) -> MeshDocument {
        var validator = SchemaValidator(tree: tree)
        validator.validate()
        let config = ModelBuilder(tree: tree).build()
        var diagnostics = tree.diagnostics + validator.diagnostics
        if let root = tree.rootValue, tree.kind(root) != .error {
            // With syntax errors, parts of the routing section may be missing from the
            // tree, and "nothing routes here" would be a false alarm.
            ReferenceChecks.run(config, reportUnused: !tree.hasErrors, into: &diagnostics)
            EndpointChecks.run(config, into: &diagnostics)
            PolicyChecks.run(config, into: &diagnostics)
            SplitChecks.run(config, into: &diagnostics)
        }
        return MeshDocument(tree: tree, config: config, diagnostics: diagnostics.sortedForOutput())
    }
}
