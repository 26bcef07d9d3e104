import MeshSyntax

/// A mesh config analysed end to end: its syntax tree, its typed model and every static
/// diagnostic (syntax, schema and semantic), sorted for output.
public struct MeshDocument: Sendable {
    /// The parse.
    public let tree: SyntaxTree
    /// The typed model.
    public let config: MeshConfig
    /// All static diagnostics of MeshConfig in document order, before any suppression:
    /// what the config really holds, which `route` and `config push` judge it by.
    public let diagnostics: [Diagnostic]
    /// The config's `diddy-mesh-ignore` comments and `lint` section, which the whole
    /// analysis (``ConfigAnalysis`` in the router) applies to every finding.
    public let suppressions: Suppressions
    /// Each service's schema findings and model, for the next version to reuse; nil
    /// unless the analysis was asked to keep them.
    public let pieces: PieceCache?

    /// The source text.
    public var source: SourceText { tree.source }

    /// Analyses `source`. `path` picks the dialect (`.jsonc` or `.json`); it is not read.
    ///
    /// `previous` is an earlier version's ``pieces``: services whose text did not change
    /// are then moved rather than validated and modelled again, with the same result.
    /// `recording` keeps this version's ``pieces`` for the next one (an editor wants them,
    /// a one-off check does not).
    public static func analyze(
        _ source: SourceText, path: String? = nil, options: ParseOptions? = nil, reusing previous: PieceCache? = nil,
        recording: Bool = false
    ) -> MeshDocument {
        let dialect = path.map(JSONDialect.forFile(named:)) ?? .jsonc
        let tree = JSONParser.parse(source, options: options ?? ParseOptions(dialect: dialect))
        return analyze(tree, reusing: previous, recording: recording)
    }

    /// Analyses an already parsed tree.
    public static func analyze(_ tree: SyntaxTree, reusing previous: PieceCache? = nil, recording: Bool = false)
        -> MeshDocument
    {
        var validator = SchemaValidator(tree: tree, reusing: previous, recording: recording)
        validator.validate()
        // The cache is taken from one step to the next, never shared, so that recording
        // into it never copies it whole.
        var builder = ModelBuilder(tree: tree, previous: previous, pieces: validator.pieces.take())
        let config = builder.build()
        var pieces = builder.pieces.take()
        var diagnostics = tree.diagnostics + validator.diagnostics
        if let root = tree.rootValue, tree.kind(root) != .error {
            // With syntax errors, parts of the routing section may be missing from the
            // tree, and "nothing routes here" would be a false alarm.
            ReferenceChecks.run(config, reportUnused: !tree.hasErrors, into: &diagnostics)
            EndpointChecks.run(config, previous: previous, pieces: &pieces, into: &diagnostics)
            PolicyChecks.run(config, into: &diagnostics)
            SplitChecks.run(config, into: &diagnostics)
        }
        return MeshDocument(
            tree: tree, config: config, diagnostics: diagnostics.sortedForOutput(),
            suppressions: Suppressions(tree: tree, lint: config.lint), pieces: pieces)
    }
}
