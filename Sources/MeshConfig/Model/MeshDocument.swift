import MeshSyntax

/// A mesh config analysed end to end: its syntax tree, its typed model and every static
/// diagnostic (syntax, schema and semantic), sorted for output.
public struct MeshDocument: Sendable {
    /// The parse.
    public let tree: SyntaxTree
    /// The typed model.
    public let config: MeshConfig
    /// All static diagnostics of MeshConfig in document order, before any suppression:
    /// what the config really holds, which `route` judges it by.
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
        analyze(
            source, path: path, options: options, reusing: previous, recording: recording, runner: SerialPairRunner(),
            alongside: { _, _ in () }
        ).document
    }

    /// Analyses `source` as ``analyze(_:path:options:reusing:recording:)`` does, with
    /// `runner` running the steps that only read the tree or the model side by side, and
    /// with `extra`, the caller's own work on the model (the router's checks), run beside
    /// MeshConfig's checks.
    public static func analyze<Runner: PairRunner, Extra: Sendable>(
        _ source: SourceText, path: String? = nil, options: ParseOptions? = nil, reusing previous: PieceCache? = nil,
        recording: Bool = false, runner: Runner, alongside extra: @escaping @Sendable (MeshConfig, SyntaxTree) -> Extra
    ) -> (document: MeshDocument, extra: Extra) {
        let dialect = path.map(JSONDialect.forFile(named:)) ?? .jsonc
        let tree = JSONParser.parse(source, options: options ?? ParseOptions(dialect: dialect))
        return analyze(tree, reusing: previous, recording: recording, runner: runner, alongside: extra)
    }

    /// Analyses an already parsed tree.
    public static func analyze(_ tree: SyntaxTree, reusing previous: PieceCache? = nil, recording: Bool = false)
        -> MeshDocument
    {
        analyze(tree, reusing: previous, recording: recording, runner: SerialPairRunner(), alongside: { _, _ in () })
            .document
    }

    /// Analyses an already parsed tree, with `runner` and `extra` as in
    /// ``analyze(_:path:options:reusing:recording:runner:alongside:)``.
    public static func analyze<Runner: PairRunner, Extra: Sendable>(
        _ tree: SyntaxTree, reusing previous: PieceCache? = nil, recording: Bool = false, runner: Runner,
        alongside extra: @escaping @Sendable (MeshConfig, SyntaxTree) -> Extra
    ) -> (document: MeshDocument, extra: Extra) {
        let config: MeshConfig
        let schemaDiagnostics: [Diagnostic]
        var pieces: PieceCache?
        if previous == nil, !recording {
            // Without a cache, validation and modelling share nothing but the tree they
            // read, so they can run at the same time.
            (config, schemaDiagnostics) = runner.run(
                {
                    var builder = ModelBuilder(tree: tree, previous: nil, pieces: nil)
                    return builder.build()
                },
                { [tree = tree.forAnotherThread()] in
                    var validator = SchemaValidator(tree: tree)
                    validator.validate()
                    return validator.diagnostics
                })
        } else {
            var validator = SchemaValidator(tree: tree, reusing: previous, recording: recording)
            validator.validate()
            // The cache is taken from one step to the next, never shared, so that recording
            // into it never copies it whole.
            var builder = ModelBuilder(tree: tree, previous: previous, pieces: validator.pieces.take())
            config = builder.build()
            pieces = builder.pieces.take()
            schemaDiagnostics = validator.diagnostics
        }
        let (document, extraResult) = runner.run(
            {
                var diagnostics = tree.diagnostics + schemaDiagnostics
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
            },
            { [tree = tree.forAnotherThread()] in extra(config, tree) })
        return (document, extraResult)
    }
}
