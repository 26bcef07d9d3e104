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
        document = MeshDocument.analyze(source, path: path, reusing: previous?.pieces, recording: keepingMemo)
        isBinary = Self.looksBinary(source.bytes)
        if isBinary {
            diagnostics = [Diagnostic(.syntaxError, "this is a binary file, not a JSON mesh config", at: .empty(at: 0))]
            suppressed = []
            shadowing = nil
            patterns = nil
        } else {
            var shadowing = previous?.shadowing
            var patterns = previous?.patterns
            let routerFindings = RouterChecks.diagnostics(
                for: document.config, tree: document.tree, shadowing: &shadowing, patterns: &patterns)
            self.shadowing = shadowing
            self.patterns = keepingMemo ? patterns : nil
            let outcome = document.suppressions.apply(
                to: (document.diagnostics + routerFindings).sortedForOutput(), reportingOnComments: true)
            diagnostics = outcome.shown
            suppressed = outcome.suppressed
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
