import MeshConfig
import MeshSyntax

/// Every static finding of one config, the same for `diddy-mesh check` and the editor:
/// MeshConfig's (syntax, schema, semantics) and the router's (DM4xx), in document order.
///
/// It lives beside the router because the router's checks are part of it: shadowing is
/// decided by the code that routes (docs/architecture.md, "Where each feature lives").
public struct ConfigAnalysis: Sendable {
    /// The parse, the model and MeshConfig's findings.
    public let document: MeshDocument
    /// Every finding to show, sorted for output: the `lint` section's levels applied,
    /// what a `diddy-mesh-ignore` comment suppresses left out, and the findings about
    /// those comments (DM701-DM703) added.
    public let diagnostics: [Diagnostic]
    /// The findings a comment suppressed (SARIF reports them as suppressed).
    public let suppressed: [SuppressedDiagnostic]
    /// Whether the text is a binary file; its findings are then that one error.
    public let isBinary: Bool
    /// The shadow analysis, for the next version to reuse and for code lenses; nil when
    /// it did not run (a binary file, or syntax errors).
    public let shadowing: ShadowMemo?
    /// The path patterns found valid, kept only with `keepingMemo`.
    let patterns: PatternMemo?

    /// The source text.
    public var source: SourceText { document.source }

    /// Analyses `source`; `path` picks the dialect (`.jsonc` or `.json`) and is not read.
    ///
    /// A file with NUL bytes near its start is reported once as not being text, rather
    /// than as thousands of syntax errors.
    ///
    /// `previous` is what an earlier version of the same document left (the language
    /// server keeps it between edits): unchanged services and the rules before the first
    /// changed one are reused, and the result is the same as without it. `keepingMemo`
    /// records what this version leaves in turn (``memo``).
    public init(_ source: SourceText, path: String, previous: AnalysisMemo? = nil, keepingMemo: Bool = false) {
        self.init(source, path: path, previous: previous, keepingMemo: keepingMemo, runner: SerialPairRunner())
    }

    /// Analyses `source` as ``init(_:path:previous:keepingMemo:)`` does, with `runner`
    /// running the steps that only read the tree or the model side by side: MeshConfig's
    /// and the router's checks, among others
    /// (``MeshDocument/analyze(_:path:options:reusing:recording:runner:alongside:)``).
    public init<Runner: PairRunner>(
        _ source: SourceText, path: String, previous: AnalysisMemo? = nil, keepingMemo: Bool = false, runner: Runner
    ) {
        let isBinary = Self.looksBinary(source.bytes)
        let previousShadowing = previous?.shadowing
        let previousPatterns = previous?.patterns
        let (document, router) = MeshDocument.analyze(
            source, path: path, reusing: previous?.pieces, recording: keepingMemo, runner: runner
        ) { config, tree -> RouterOutcome? in
            guard !isBinary else { return nil }
            return RouterOutcome(
                config, tree: tree, shadowing: previousShadowing, patterns: previousPatterns, recording: keepingMemo)
        }
        self.init(document: document, isBinary: isBinary, router: router, keepingPatterns: keepingMemo)
    }

    /// The analysis of a config whose MeshConfig part is done (`document`, as
    /// ``MeshDocument/analyze(_:path:options:reusing:recording:)`` gives it): the router's
    /// checks run on its model and tree, then the suppressions apply, with the same findings
    /// as ``init(_:path:previous:keepingMemo:)`` on the same text. For a caller that has the
    /// document already and would otherwise analyse the text twice (`config push`).
    public init(document: MeshDocument) {
        let isBinary = Self.looksBinary(document.source.bytes)
        let router =
            isBinary
            ? nil
            : RouterOutcome(document.config, tree: document.tree, shadowing: nil, patterns: nil, recording: false)
        self.init(document: document, isBinary: isBinary, router: router, keepingPatterns: false)
    }

    /// What both initializers share once the router's checks ran (`router`, nil for a
    /// binary file): the suppressions applied to every finding.
    private init(document: MeshDocument, isBinary: Bool, router: RouterOutcome?, keepingPatterns: Bool) {
        self.document = document
        self.isBinary = isBinary
        if let router {
            shadowing = router.shadowing
            patterns = keepingPatterns ? router.patterns : nil
            let outcome = document.suppressions.apply(
                to: (document.diagnostics + router.findings).sortedForOutput(), reportingOnComments: true)
            diagnostics = outcome.shown
            suppressed = outcome.suppressed
        } else {
            diagnostics = [Diagnostic(.syntaxError, "this is a binary file, not a JSON mesh config", at: .empty(at: 0))]
            suppressed = []
            shadowing = nil
            patterns = nil
        }
    }

    /// What the router's checks leave: their findings and the memos for the next version.
    private struct RouterOutcome: Sendable {
        var findings: [Diagnostic]
        var shadowing: ShadowMemo?
        var patterns: PatternMemo?

        /// Runs the router's checks on `config` and `tree`, reusing the previous version's
        /// `shadowing` and `patterns` (nil for none) and recording patterns when asked.
        init(
            _ config: MeshConfig, tree: SyntaxTree, shadowing: ShadowMemo?, patterns: PatternMemo?, recording: Bool
        ) {
            self.shadowing = shadowing
            self.patterns = patterns
            findings = RouterChecks.diagnostics(
                for: config, tree: tree, shadowing: &self.shadowing, patterns: &self.patterns,
                recordingPatterns: recording)
        }
    }

    /// The `lint` levels and comments of the config, applied to live findings (DM6xx) as
    /// they arrive: `check --live` and the editor's live diagnostics.
    public var suppressions: Suppressions { document.suppressions }

    /// What this analysis leaves for the next version.
    public var memo: AnalysisMemo {
        AnalysisMemo(shadowing: shadowing, pieces: document.pieces, patterns: patterns)
    }

    /// Whether `bytes` hold a NUL in their first 8 KiB, which no JSON text does.
    public static func looksBinary(_ bytes: [UInt8]) -> Bool {
        bytes.prefix(8192).contains(0)
    }
}
